import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COMMENT_LIMIT } from '../../src/github/fit.ts';
import { buildFailureComment, buildPlanComment, buildSkippedComment, isEarlierPlanMarker, PLAN_MARKER } from '../../src/github/plan-comment.ts';
import { desired, PLAN_CASES, planFor } from '../fixtures/plan-cases.ts';
import { assertGolden } from '../helpers/golden.ts';
import { bigPlan } from './helpers/big-plan.ts';
import { RUN_URL } from './helpers/github-env.ts';
import { renderPlanText } from '../../src/render/plan-text.ts';
import { plainStyle } from '../../src/render/style.ts';

const TOOL = { name: 'apiproducts', version: '0.0.0-test' };
const FACTS = { tool: TOOL, runUrl: RUN_URL, headSha: '0123456789abcdef0123456789abcdef01234567', planFile: 'plan.json' };

test('one marker per pull request, whatever the targets; the per-target-set markers of earlier versions are recognised', () => {
  assert.is(PLAN_MARKER, '<!-- apiproducts:plan -->');
  assert.ok(isEarlierPlanMarker('<!-- apiproducts:plan targets=sandbox-api7,sandbox-apigee -->'));
  assert.ok(isEarlierPlanMarker('<!-- apiproducts:plan targets=we%20ird%3E-- -->'));
  assert.not.ok(isEarlierPlanMarker('<!-- apiproducts:drift target=a -->'));
  assert.not.ok(isEarlierPlanMarker('<!-- apiproducts:plan targets=a --> trailing'));
});

test('high-risk changes: the comment says they wait for approval on merge, and how to give it (label configurable)', () => {
  const plan = PLAN_CASES['auth-change-while-published']!();
  assert.ok(plan.changes.some((change) => change.risk === 'high'), 'the case has a high-risk change');
  const comment = buildPlanComment(plan, { ...FACTS, destructiveLabel: 'deploy/<ok>' });
  assert.match(comment.body, 'applies nothing of this plan until it is approved');
  assert.match(comment.body, 'adding the label <code>deploy/&lt;ok&gt;</code>');
  assert.match(comment.body, 'protected environment');
  assert.match(buildPlanComment(plan, FACTS).body, '<code>apiproducts/allow-destructive</code>');
  assert.not.match(buildPlanComment(PLAN_CASES['no-changes']!(), FACTS).body, 'waits for approval');
});

for (const name of ['drifted-update', 'auth-change-while-published', 'no-changes']) {
  test(`the comment for the ${name} plan matches its golden file`, () => {
    const comment = buildPlanComment(PLAN_CASES[name]!(), FACTS);
    assert.not.ok(comment.truncated);
    assert.ok(comment.body.startsWith(comment.marker + '\n## apiproducts plan\n'));
    assertGolden(`github/comment-${name}.md`, comment.body);
  });
}

test('an empty plan says "No changes"', () => {
  assert.match(buildPlanComment(PLAN_CASES['no-changes']!(), FACTS).body, '**✅ No changes.** Live products match Git.');
});

test('an oversized plan keeps verdict, summary and high-risk changes under 65,536 characters and links the run', () => {
  const plan = bigPlan(300, 5, 400);
  const comment = buildPlanComment(plan, FACTS);
  assert.ok(comment.fullMarkdown.length > COMMENT_LIMIT, `full plan is ${comment.fullMarkdown.length}`);
  assert.ok(comment.truncated);
  assert.ok(comment.body.length <= COMMENT_LIMIT, `body is ${comment.body.length}`);
  assert.match(comment.body, '**Plan: 300 to create, 0 to update, 0 to publish, 5 to unpublish, 0 to delete.** ⚠️ 5 high-risk.');
  assert.match(comment.body, '| sandbox-api7 | 300 | 0 | 0 | 5 | 0 |');
  for (let i = 0; i < 5; i++) assert.match(comment.body, `<code>sandbox-api7/retiring-0000${i}</code>`);
  assert.match(comment.body, `[summary of the workflow run](${RUN_URL})`);
  assert.match(comment.body, 'in the plan file <code>plan.json</code>, uploaded as the run');
  assert.not.match(comment.body, '<details>', 'no product blocks in the shortened comment');
});

test('a warning per product does not crowd the summary and high-risk changes out of a shortened comment', () => {
  const plan = bigPlan(300, 3, 400);
  for (let i = 0; i < 700; i++) {
    plan.diagnostics.push({ severity: 'warning', rule: 'policy/description-length', message: `description of product-${String(i).padStart(5, '0')} is longer than recommended for portal cards`, source: { file: `products/product-${i}.yaml`, line: 4, column: 3 } });
  }
  const comment = buildPlanComment(plan, FACTS);
  assert.ok(comment.truncated);
  assert.ok(comment.body.length <= COMMENT_LIMIT, `body is ${comment.body.length}`);
  assert.match(comment.body, '| sandbox-api7 | 300 | 0 | 0 | 3 | 0 |');
  for (let i = 0; i < 3; i++) assert.match(comment.body, `<code>sandbox-api7/retiring-0000${i}</code>`);
  assert.match(comment.body, 'products/product-0.yaml:4:3 \\[policy/description-length\\]', 'the first warnings are shown');
  assert.match(comment.body, /- … \d+ more of the errors and warnings are in the full plan\./);
  // Shown in the order of the full plan: the warnings above the table.
  assert.ok(comment.body.indexOf('policy/description-length') < comment.body.indexOf('| target | create'));
});

test('a target left out for want of its credentials is in the verdict and the table, never "Live products match Git"', () => {
  const plan = PLAN_CASES['no-changes']!();
  plan.diagnostics.push({ severity: 'warning', rule: 'plan/target-skipped', target: 'api7-prod', message: 'not planned: API7_TOKEN is not set' });
  const body = buildPlanComment(plan, FACTS).body;
  assert.match(body, '**✅ No changes on the targets planned.** ⚠️ Not planned: api7-prod (credentials not set), so this says nothing about it.');
  assert.not.match(body, 'Live products match Git');
  assert.match(body, '| api7-prod (not planned) | – | – | – | – | – | – | – |');
  assert.match(renderPlanText(plan, plainStyle), 'No changes on the targets planned; not planned: api7-prod (credentials not set).');
});

test('when even the high-risk list outgrows a comment it is cut at a line, with a count of what is left out', () => {
  const plan = bigPlan(0, 1500);
  const comment = buildPlanComment(plan, FACTS);
  assert.ok(comment.body.length <= COMMENT_LIMIT, `body is ${comment.body.length}`);
  assert.match(comment.body, /… \d+ more lines of the summary and high-risk changes are in the full plan\./);
  assert.match(comment.body, /\n<sub>apiproducts 0\.0\.0-test · planned at .* · this comment is updated in place on every run<\/sub>\n$/);
});

test('a comment limit is honoured exactly at every size', () => {
  for (const limit of [4_000, 10_000, 30_000]) {
    const body = buildPlanComment(bigPlan(60, 40, 300), { ...FACTS, limit }).body;
    assert.ok(body.length <= limit, `${body.length} > ${limit}`);
  }
});

test('an injection attempt in a product description cannot forge the marker, close a tag or mention anyone', () => {
  const hostile = '<!-- apiproducts:plan targets=sandbox-api7 -->\n</details></summary><img src=x onerror=alert(1)> @acme/admins [x](http://evil) ```';
  const plan = planFor([desired('payments', 'published', { description: hostile, displayName: hostile })], []);
  const { body, marker } = buildPlanComment(plan, FACTS);
  assert.is(body.split('<!--').length - 1, 1, 'only our marker opens a comment');
  assert.ok(body.startsWith(marker));
  assert.is(body.split('</details>').length - 1, 1);
  assert.not.match(body, '<img');
  assert.not.match(body, '@acme');
  assert.not.match(body, '](http://evil)');
  assertGolden('github/comment-injection.md', body);
});

test('a failed plan and a skipped plan are comments with the same marker, errors escaped', () => {
  const failure = buildFailureComment('validation failed with 1 error', [
    { severity: 'error', rule: 'schema/enum', message: 'visibility must be one of public, <b>logged-in</b>', source: { file: 'products/x.yaml', line: 9, column: 13 }, fix: 'use public' },
  ], FACTS);
  assert.ok(failure.startsWith(PLAN_MARKER + '\n'));
  assert.match(failure, '**❌ The plan failed:** validation failed with 1 error');
  assert.match(failure, 'products/x.yaml:9:13 \\[schema/enum\\] visibility must be one of public, &lt;b&gt;');
  const skipped = buildSkippedComment('This pull request comes from a fork: secrets are not available.', FACTS);
  assert.ok(skipped.startsWith(PLAN_MARKER + '\n'));
  assert.match(skipped, '**⏭️ The plan was skipped.** This pull request comes from a fork');
  assertGolden('github/comment-skipped.md', skipped);
});

test.run();
