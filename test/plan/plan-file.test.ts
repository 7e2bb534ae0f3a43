import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UserError } from '../../src/model/diagnostic.ts';
import { identityMismatch, parsePlanFile, serialisePlanFile } from '../../src/plan/plan-file.ts';
import { PLAN_CASES } from '../fixtures/plan-cases.ts';

function refusal(text: string): string {
  try {
    parsePlanFile(text, 'plan.json');
  } catch (error) {
    assert.instance(error, UserError);
    return (error as UserError).message;
  }
  return assert.unreachable('the plan file was accepted') as never;
}

test('a saved plan reads back as the same plan, sealed with its digest', () => {
  const plan = PLAN_CASES['drifted-update']!();
  const text = serialisePlanFile(plan);
  const read = parsePlanFile(text, 'plan.json');
  assert.match(read.digest ?? '', /^sha256:[0-9a-f]{64}$/);
  const { digest: _digest, ...content } = read;
  assert.equal(content, plan);
  assert.is(serialisePlanFile(read), text, 'saving a read plan changes nothing');
});

test('a plan file edited after it was written is refused', () => {
  const text = serialisePlanFile(PLAN_CASES['drifted-update']!()).replace('"Create, track and cancel orders."', '"Something else."');
  assert.match(refusal(text), 'plan.json was modified after it was written');
});

test('a plan file without a digest is refused', () => {
  const { digest: _digest, ...unsealed } = JSON.parse(serialisePlanFile(PLAN_CASES['new-portal']!()));
  assert.match(refusal(JSON.stringify(unsealed)), 'was modified after it was written');
});

test('a plan file of another format version is refused, naming both versions', () => {
  const plan = JSON.parse(serialisePlanFile(PLAN_CASES['new-portal']!()));
  assert.match(refusal(JSON.stringify({ ...plan, formatVersion: 2 })), 'has plan format version 2; this apiproducts reads version 1');
});

test('something that is not a plan file is refused clearly', () => {
  assert.match(refusal('{"targets": '), 'plan.json is not a plan file:');
  assert.match(refusal('{"hello": "world"}'), 'plan.json is not a plan file made by `apiproducts plan --out`');
});

test('a different URL, portal or org is a mismatch; the same identity is not', () => {
  const planned = { url: 'https://a7.example.com:7443', portal: 'default' };
  assert.is(identityMismatch(planned, { ...planned }), undefined);
  assert.is(
    identityMismatch(planned, { url: 'https://a7.example.com:7443', portal: 'partners' }),
    'the plan was made against https://a7.example.com:7443, portal default, but the target now points at https://a7.example.com:7443, portal partners',
  );
  assert.ok(identityMismatch({ url: 'x', org: 'a' }, { url: 'x', org: 'b' }));
});

test.run();
