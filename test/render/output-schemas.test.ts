/**
 * The published JSON Schemas of the machine-readable output (schemas/plan.schema.json,
 * apply-output.schema.json, drift.schema.json) accept what the CLI really prints: every golden plan,
 * and plan, apply and drift JSON made over HTTP against an API7 emulator, with every action, a
 * failed and a skipped change, the traffic block and every drift kind. Each schema also rejects a
 * mutated output, so a schema loose enough to accept anything fails here.
 */
import { readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { runCliInProcess } from '../helpers/cli-in-process.ts';
import { repoRoot } from '../helpers/project.ts';
import { exampleAgainstEmulator, otherClient, TARGET_ENV } from '../helpers/real-target.ts';

// strict: a keyword ajv does not know, or a misplaced one, is a schema bug and throws here.
const ajv = new Ajv2020({ allErrors: true, strict: true });
const load = (name: string): ValidateFunction => ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'schemas', name), 'utf8')));
const schemas = { plan: load('plan.schema.json'), apply: load('apply-output.schema.json'), drift: load('drift.schema.json') };

function assertValid(validate: ValidateFunction, value: unknown, what: string): void {
  assert.ok(validate(value), `${what}: ${ajv.errorsText(validate.errors)}`);
}

const clone = <T>(value: T): T => structuredClone(value);
const goldenDir = join(repoRoot, 'test', 'golden', 'plan');
const goldens = readdirSync(goldenDir).filter((name) => name.endsWith('.json'));

test('every golden plan JSON is a valid plan file', () => {
  assert.ok(goldens.length >= 8);
  for (const name of goldens) assertValid(schemas.plan, JSON.parse(readFileSync(join(goldenDir, name), 'utf8')), name);
});

test('the plan schema rejects a plan without its digest, an unknown action, an unknown field and another format version', () => {
  const plan = JSON.parse(readFileSync(join(goldenDir, 'drifted-update.json'), 'utf8'));
  assertValid(schemas.plan, plan, 'the unmutated plan');
  const { digest: _digest, ...undigested } = plan;
  const mutations = [undigested, clone(plan), clone(plan), { ...clone(plan), formatVersion: 2 }];
  mutations[1].changes[0].action = 'replace';
  mutations[2].changes[0].riskLevel = 'low';
  for (const [i, mutated] of mutations.entries()) assert.not.ok(schemas.plan(mutated), `mutation ${i} was accepted`);
});

test('plan, apply and drift JSON made over HTTP match their schemas, with every action, outcome and drift kind', async () => {
  const { cwd, emulator } = await exampleAgainstEmulator();
  const cli = async (...args: string[]) => {
    const result = await runCliInProcess(args, { cwd, env: TARGET_ENV });
    assert.ok([0, 2, 4].includes(result.code), `${args.join(' ')}: exit ${result.code}\n${result.stderr}`);
    return JSON.parse(result.stdout);
  };
  const product = (name: string) => join(cwd, 'products', `${name}.yaml`);
  const edit = (name: string, from: string, to: string) => writeFileSync(product(name), readFileSync(product(name), 'utf8').replace(from, to));
  const newProduct = (name: string) => writeFileSync(product(name), readFileSync(product('weather'), 'utf8').replace('name: weather', `name: ${name}`));
  try {
    // A saved plan (with its digest) applied as it is, and an apply with nothing left to do (report null).
    await cli('plan', '--out', 'plan.json', '--format', 'json');
    const saved = JSON.parse(readFileSync(join(cwd, 'plan.json'), 'utf8'));
    assertValid(schemas.plan, saved, 'plan --out');
    assertValid(schemas.apply, await cli('apply', 'plan.json', '--auto-approve', '--format', 'json'), 'apply PLANFILE');
    const idle = await cli('apply', '--auto-approve', '--format', 'json');
    assert.is(idle.report, null);
    assertValid(schemas.apply, idle, 'apply with no changes');

    edit('orders', 'auth: [basic-auth]', 'auth: [basic-auth, key-auth]'); // auth on a published product: unpublish → update → publish
    edit('loyalty', 'status: draft', 'status: published');
    edit('weather', 'status: published', 'status: draft');
    edit('orders', 'description: ', 'description: Now ');
    unlinkSync(product('payments'));
    newProduct('rewards');
    const plan = await cli('plan', '--prune', '--format', 'json');
    assert.equal([...new Set(plan.changes.map((c: { action: string }) => c.action))].sort(), ['create', 'delete', 'publish', 'unpublish', 'update']);
    assertValid(schemas.plan, plan, 'plan --prune');
    const dryRun = await cli('apply', '--prune', '--allow-destructive', '--dry-run', '--format', 'json');
    // payments is protected on the portal (its marker): its file is gone, yet its delete is refused.
    const refused = dryRun.report.results.filter((r: { key: string }) => r.key === 'payments');
    assert.equal(refused.map((r: { action: string; outcome: string }) => [r.action, r.outcome]), [['delete', 'skipped']]);
    assert.ok(dryRun.report.results.every((r: { key: string; outcome: string }) => r.key === 'payments' || r.outcome === 'would-apply'));
    assertValid(schemas.apply, dryRun, 'apply --dry-run');

    // orders' update (its second PUT) is refused (400: not retried), so its publish is skipped.
    emulator.faults.configure({ rules: [{ method: 'PUT', path: '/api/api_products/prod-orders', nth: 2, fault: 'fail', status: 400, times: Infinity }] });
    const applied = await cli('apply', '--prune', '--allow-destructive', '--auto-approve', '--format', 'json');
    emulator.faults.configure({});
    assert.equal([...new Set(applied.report.results.map((r: { outcome: string }) => r.outcome))].sort(), ['applied', 'failed', 'skipped']);
    assert.ok(applied.report.traffic.length > 0);
    assertValid(schemas.apply, applied, 'apply with a failure');

    // Drift of every kind: orders is half-applied, identity edited on the dashboard, perks not yet
    // created, weather owned but no longer in Git.
    const { list } = await otherClient(emulator, 'GET', '/api/api_products?portal_id=portal-default&page=1&page_size=100');
    const path = `/api/api_products/${list.find((p: object) => JSON.stringify(p).includes('OAuth 2.0 client registration')).id}?portal_id=portal-default`;
    const { id: _i, created_at: _c, updated_at: _u, ...body } = (await otherClient(emulator, 'GET', path)).value;
    await otherClient(emulator, 'PUT', path, { ...body, desc: 'Edited on the dashboard.' });
    newProduct('perks');
    unlinkSync(product('weather'));
    const drift = await cli('drift', '--format', 'json');
    assert.equal([...new Set(drift.items.map((i: { kind: string }) => i.kind))].sort(), ['changed-outside-git', 'missing', 'not-yet-applied', 'orphaned']);
    assertValid(schemas.drift, drift, 'drift');

    const mutatedApply = clone(applied);
    mutatedApply.report.results[0].outcome = 'ok';
    assert.not.ok(schemas.apply(mutatedApply), 'an unknown outcome was accepted');
    const { traffic: [first] } = clone(applied.report);
    delete first.requests;
    assert.not.ok(schemas.apply({ ...applied, report: { ...applied.report, traffic: [first] } }), 'traffic without requests was accepted');
    const mutatedDrift = clone(drift);
    mutatedDrift.items[0].kind = 'changed';
    assert.not.ok(schemas.drift(mutatedDrift), 'an unknown drift kind was accepted');
    const { formatVersion: _version, ...unversioned } = drift;
    assert.not.ok(schemas.drift(unversioned), 'a drift report without formatVersion was accepted');
  } finally {
    await emulator.close();
    rmSync(cwd, { recursive: true, force: true });
  }
});

test.run();
