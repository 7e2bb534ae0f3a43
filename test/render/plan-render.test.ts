import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderPlanJson } from '../../src/render/plan-json.ts';
import { renderPlanText } from '../../src/render/plan-text.ts';
import { colourStyle, plainStyle } from '../../src/render/style.ts';
import { assertGolden } from '../helpers/golden.ts';
import { PLAN_CASES } from '../fixtures/plan-cases.ts';

for (const [name, makePlan] of Object.entries(PLAN_CASES)) {
  test(`text and JSON renderings of the ${name} plan match their golden files`, () => {
    const plan = makePlan();
    assertGolden(`plan/${name}.txt`, renderPlanText(plan, plainStyle));
    assertGolden(`plan/${name}.json`, renderPlanJson(plan));
  });
}

test('the JSON rendering is the plan value itself plus its digest, so a plan file round-trips', () => {
  const plan = PLAN_CASES['drifted-update']!();
  const { digest, ...content } = JSON.parse(renderPlanJson(plan));
  assert.match(digest, /^sha256:/);
  assert.equal(content, plan);
});

test('the summary line counts every action', () => {
  const text = renderPlanText(PLAN_CASES['auth-change-while-published']!(), plainStyle);
  assert.match(text, /Plan: 0 to create, 1 to update, 1 to publish, 1 to unpublish, 0 to delete\.\n$/);
});

test('plain text carries no escape codes; the colour style does', () => {
  const plan = PLAN_CASES['new-portal']!();
  assert.not.match(renderPlanText(plan, plainStyle), /\u001b\[/);
  assert.match(renderPlanText(plan, colourStyle), /\u001b\[32m\+/);
});

test('every change in the plan appears in the text rendering', () => {
  for (const makePlan of Object.values(PLAN_CASES)) {
    const plan = makePlan();
    const text = renderPlanText(plan, plainStyle);
    for (const change of plan.changes) assert.ok(text.includes(`# ${change.key} will be`), change.id);
  }
});

test.run();
