import { tempDir } from '../helpers/temp.ts';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COMMENT_LIMIT, STEP_SUMMARY_LIMIT } from '../../src/github/fit.ts';
import { appendStepSummary, planSummaryChunks } from '../../src/github/step-summary.ts';
import { serialisePlanFile } from '../../src/plan/plan-file.ts';
import { runCli } from '../helpers/project.ts';
import { bigPlan } from './helpers/big-plan.ts';
import { FakeGithub } from './helpers/fake-github.ts';
import { githubEnv, GITHUB_TOKEN, RUN_URL } from './helpers/github-env.ts';

const tempFile = (name: string) => join(tempDir('apiproducts-summary-'), name);

let fake: FakeGithub;
test.before(async () => {
  fake = await new FakeGithub({ token: GITHUB_TOKEN }).start();
});
test.after(async () => fake.close());

test('a plan that fits is appended whole, after what the step already wrote', () => {
  const file = tempFile('summary.md');
  writeFileSync(file, '# Earlier step output\n');
  const written = appendStepSummary(file, planSummaryChunks(bigPlan(3), 'apiproducts plan'), 'see the plan file');
  assert.is(written.omitted, 0);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith('# Earlier step output\n## apiproducts plan\n'));
  for (let i = 0; i < 3; i++) assert.match(text, `<code>product-0000${i}</code>`);
});

test('a plan over 1 MiB is cut at a product block, with a note, and the file stays under the cap', () => {
  const file = tempFile('summary.md');
  writeFileSync(file, 'x'.repeat(100_000) + '\n');
  const plan = bigPlan(2500, 2, 600);
  const written = appendStepSummary(file, planSummaryChunks(plan, 'apiproducts plan'), 'the plan file plan.json (the run\'s artifact) has every change');
  assert.ok(written.omitted > 0);
  const size = statSync(file).size;
  assert.ok(size <= STEP_SUMMARY_LIMIT, `${size} bytes`);
  assert.ok(size > STEP_SUMMARY_LIMIT - 5_000, `${size} bytes: the cap is used, not wasted`);
  const text = readFileSync(file, 'utf8');
  assert.match(text, `> ${written.omitted} more parts of this report did not fit in the step summary (1 MiB at most); the plan file plan.json`);
  assert.is(text.split('<details>').length, text.split('</details>').length, 'no block left open');
  assert.match(text, 'retiring-00001', 'high-risk changes come first and survive the cut');
});

test('a step summary already full gets nothing rather than an over-cap file', () => {
  const file = tempFile('summary.md');
  writeFileSync(file, 'x'.repeat(STEP_SUMMARY_LIMIT - 10));
  const written = appendStepSummary(file, planSummaryChunks(bigPlan(1), 'apiproducts plan'), 'elsewhere');
  assert.is(written.bytes, 0);
  assert.is(statSync(file).size, STEP_SUMMARY_LIMIT - 10);
});

for (const [creates, risky, fits] of [[250, 3, true], [4000, 20, false]] as const) {
  test(`github comment --plan with ${creates} products: a shortened comment, the full plan in the step summary`, async () => {
    const cwd = tempDir('apiproducts-big-');
    const plan = bigPlan(creates, risky, 500);
    writeFileSync(join(cwd, 'plan.json'), serialisePlanFile(plan));
    const env = githubEnv(fake, { pr: creates });
    const result = await runCli(['github', 'comment', '--plan', 'plan.json'], { cwd, env });
    assert.is(result.code, 0, result.stderr);
    assert.match(result.stdout, 'shortened: the full plan is in the step summary');
    const body = fake.commentsOn(creates)[0]!.body;
    assert.ok(body.length <= COMMENT_LIMIT, `${body.length}`);
    assert.match(body, `**Plan: ${creates} to create, 0 to update, 0 to publish, ${risky} to unpublish, 0 to delete.** ⚠️ ${risky} high-risk.`);
    assert.match(body, `[summary of the workflow run](${RUN_URL})`);
    assert.match(body, 'in the plan file <code>plan.json</code>, uploaded as the run');
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8');
    assert.ok(Buffer.byteLength(summary) <= STEP_SUMMARY_LIMIT);
    assert.match(summary, `retiring-${String(risky - 1).padStart(5, '0')}`);
    if (fits) assert.match(summary, `product-${String(creates - 1).padStart(5, '0')}`);
    else assert.match(summary, 'did not fit in the step summary (1 MiB at most); the plan file plan.json');
  });
}

test.run();
