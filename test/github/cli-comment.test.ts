import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildPlanComment } from '../../src/github/plan-comment.ts';
import { parsePlanFile, serialisePlanFile } from '../../src/plan/plan-file.ts';
import { escapeMarkdown } from '../../src/render/markdown-escape.ts';
import { assertGolden } from '../helpers/golden.ts';
import { copyExampleProject, type CliResult } from '../helpers/project.ts';
// In-process: what the CLI says is tested here; the process contract is in test/cli/cli.test.ts.
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { FakeGithub } from './helpers/fake-github.ts';
import { githubEnv, GITHUB_TOKEN, HEAD_SHA, RUN_URL } from './helpers/github-env.ts';

let fake: FakeGithub;
test.before(async () => {
  fake = await new FakeGithub({ token: GITHUB_TOKEN }).start();
});
test.after(async () => fake.close());
test.before.each(() => fake.reset());

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

function assertClean(result: CliResult, what: string): void {
  assert.not.ok(result.stdout.includes(GITHUB_TOKEN), `${what}: token on stdout`);
  assert.not.ok(result.stderr.includes(GITHUB_TOKEN), `${what}: token on stderr`);
  assert.not.match(result.stderr, STACK_FRAME, `${what}: stack trace`);
}

test('plan --github-comment comments the plan, then updates the same comment on every run', async () => {
  const cwd = copyExampleProject();
  const env = githubEnv(fake);
  const first = await runCli(['plan', '--github-comment', '--out', 'plan.json'], { cwd, env });
  assert.is(first.code, 0, first.stderr);
  assertClean(first, 'first plan');
  assert.match(first.stdout, 'Plan: 8 to create, 2 to update');
  assert.match(first.stderr, 'Commented the plan on pull request #7');
  assert.is(fake.commentsOn(7).length, 1);
  const comment = fake.commentsOn(7)[0]!;
  assert.ok(comment.body.startsWith('<!-- apiproducts:plan -->\n## apiproducts plan\n'));
  assert.match(comment.body, '**Plan: 8 to create, 2 to update, 0 to publish, 0 to unpublish, 0 to delete.**');
  assert.match(comment.body, `[workflow run](${RUN_URL})`);
  assert.match(comment.body, `for ${HEAD_SHA.slice(0, 7)}`);
  assert.match(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'), '## apiproducts plan\n\n**Plan: 8 to create');

  const again = await runCli(['github', 'comment', '--plan', 'plan.json'], { cwd, env });
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout, 'Updated the plan comment on pull request #7');
  const applied = await runCli(['apply', '--auto-approve', '--allow-destructive'], { cwd });
  assert.is(applied.code, 0, applied.stderr);
  const after = await runCli(['plan', '--github-comment', '--detailed-exitcode'], { cwd, env });
  assert.is(after.code, 0, after.stderr);
  assert.is(fake.commentsOn(7).length, 1, 'never a second comment');
  assert.match(fake.commentsOn(7)[0]!.body, '**✅ No changes.** Live products match Git.');
  assert.is(fake.commentsOn(7)[0]!.id, comment.id);
  for (const request of fake.requests) assert.is(request.authorization, `token ${GITHUB_TOKEN}`);
});

test('the comment for the example products matches test/golden/github/example-products.md', async () => {
  const cwd = copyExampleProject();
  const result = await runCli(['plan', '--out', 'plan.json'], { cwd });
  assert.is(result.code, 0, result.stderr);
  const plan = parsePlanFile(readFileSync(join(cwd, 'plan.json'), 'utf8'), 'plan.json');
  const fixed = { ...plan, createdAt: '2026-11-25T09:00:00.000Z', tool: { ...plan.tool, version: '0.1.0' } };
  const comment = buildPlanComment(fixed, { tool: fixed.tool, runUrl: RUN_URL, headSha: HEAD_SHA, planFile: 'plan.json' });
  assertGolden('github/example-products.md', comment.body);
});

test('a product description cannot forge the marker or inject markup into the posted comment', async () => {
  const cwd = copyExampleProject();
  const file = join(cwd, 'products', 'payments.yaml');
  const hostile = '<!-- apiproducts:plan --> </details><script>x</script> @acme/admins';
  writeFileSync(file, readFileSync(file, 'utf8').replace('Accept card payments and issue refunds.', JSON.stringify(hostile)));
  const result = await runCli(['plan', '--github-comment'], { cwd, env: githubEnv(fake) });
  assert.is(result.code, 0, result.stderr);
  const body = fake.commentsOn(7)[0]!.body;
  assert.is(body.split('<!--').length - 1, 1);
  assert.not.match(body, '<script');
  assert.not.match(body, '@acme');
  assert.is(body.split('</details>').length - 1, body.split('<details>').length - 1);
});

test('missing token or pull request: a clear error naming the variable, exit 1, before any plan', async () => {
  const cwd = copyExampleProject();
  const noToken = await runCli(['plan', '--github-comment'], { cwd, env: githubEnv(fake, { token: null }) });
  assert.is(noToken.code, 1);
  assert.match(noToken.stderr, 'Error: GITHUB_TOKEN is not set');
  assert.is(noToken.stdout, '', 'no plan was made');
  const noPr = await runCli(['github', 'comment', '--plan', 'plan.json'], { cwd, env: githubEnv(fake, { pr: null }) });
  assert.is(noPr.code, 1);
  assert.match(noPr.stderr, 'GITHUB_EVENT_PATH is not set');
  const noRepo = await runCli(['drift', '--github-issue'], { cwd, env: { ...githubEnv(fake), GITHUB_REPOSITORY: '' } });
  assert.is(noRepo.code, 1);
  assert.match(noRepo.stderr, 'GITHUB_REPOSITORY is not set');
  for (const r of [noToken, noPr, noRepo]) assertClean(r, 'missing context');
  assert.is(fake.comments.length, 0);
});

for (const [status, message, expected] of [
  [403, 'Resource not accessible by integration', /GitHub API GET \/repos\/acme\/portal\/issues\/7\/comments failed: HTTP 403 Resource not accessible by integration; the token lacks a permission/],
  [502, 'Server Error', /failed: HTTP 502 Server Error; GitHub is unavailable, re-run the job/],
] as const) {
  test(`GitHub answering ${status}: one line, exit 1, the plan still printed, the token never`, async () => {
    const cwd = copyExampleProject();
    fake.failWith = { status, message };
    const result = await runCli(['plan', '--github-comment'], { cwd, env: githubEnv(fake) });
    assert.is(result.code, 1);
    assert.match(result.stdout, 'Plan: 8 to create');
    const errorLines = result.stderr.split('\n').filter((l) => l.startsWith('Error: '));
    assert.is(errorLines.length, 1, result.stderr);
    assert.match(errorLines[0]!, expected);
    assertClean(result, `HTTP ${status}`);
  });
}

test('a refused token and an unreachable GitHub are one-line errors without the token', async () => {
  const cwd = copyExampleProject();
  const refused = await runCli(['plan', '--github-comment'], { cwd, env: githubEnv(fake, { token: `${GITHUB_TOKEN}-revoked` }) });
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /HTTP 401 Bad credentials.*GITHUB_TOKEN was refused/);
  assert.not.ok((refused.stdout + refused.stderr).includes(`${GITHUB_TOKEN}-revoked`));
  const closed = await new FakeGithub({ token: GITHUB_TOKEN }).start();
  await closed.close();
  const unreachable = await runCli(['plan', '--github-comment'], { cwd, env: githubEnv(closed) });
  assert.is(unreachable.code, 1);
  assert.match(unreachable.stderr, /Error: GitHub API GET \/user failed: cannot reach http:\/\/127\.0\.0\.1:\d+/);
  assertClean(unreachable, 'unreachable');
});

test('a failed plan replaces the comment with its errors instead of leaving an older plan', async () => {
  const cwd = copyExampleProject();
  const env = githubEnv(fake);
  assert.is((await runCli(['plan', '--github-comment'], { cwd, env })).code, 0);
  const file = join(cwd, 'products', 'orders.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^visibility: .*$/m, 'visibility: everyone'));
  const failed = await runCli(['plan', '--github-comment'], { cwd, env });
  assert.is(failed.code, 1);
  assert.match(failed.stderr, /^::error file=products\/orders\.yaml,line=\d+,col=\d+,title=apiproducts schema\/enum::/m);
  assert.is(fake.commentsOn(7).length, 1);
  const body = fake.commentsOn(7)[0]!.body;
  assert.match(body, '**❌ The plan failed:** validation failed with 1 error');
  assert.match(body, /products\/orders\.yaml:\d+:\d+ \\\[schema\/enum\\\]/);
});

test('--skip-missing-credentials plans the targets it can and says which it left out', async () => {
  const cwd = copyExampleProject();
  const config = readFileSync(join(cwd, 'apiproducts.yaml'), 'utf8');
  writeFileSync(join(cwd, 'apiproducts.yaml'), config.replace('targets:\n', 'targets:\n  api7-prod:\n    provider: api7\n    url: https://api7.example.com:7443\n    tokenEnv: API7_TOKEN\n'));
  const result = await runCli(['plan', '--skip-missing-credentials', '--github-comment', '--target', 'sandbox-api7', '--target', 'api7-prod'], { cwd, env: githubEnv(fake) });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, 'target api7-prod: warning [plan/target-skipped] not planned: API7_TOKEN is not set');
  assert.match(result.stdout, 'npx apiproducts apply --target sandbox-api7\n');
  const body = fake.commentsOn(7)[0]!.body;
  assert.ok(body.startsWith('<!-- apiproducts:plan -->\n'));
  assert.match(body, 'target api7-prod: \\[plan/target-skipped\\] not planned: API7\\_TOKEN is not set');
  // Another target set on the same pull request updates the same comment: never a second, stale one.
  const both = await runCli(['plan', '--github-comment', '--target', 'sandbox-api7', '--target', 'sandbox-apigee'], { cwd, env: githubEnv(fake) });
  assert.is(both.code, 0, both.stderr);
  assert.is(fake.commentsOn(7).length, 1);
  assert.not.match(fake.commentsOn(7)[0]!.body, 'plan/target-skipped');
  const failed = await runCli(['plan', '--skip-missing-credentials', '--github-comment', '--target', 'nope'], { cwd, env: githubEnv(fake) });
  assert.is(failed.code, 1);
  assert.is(fake.commentsOn(7).length, 1);
  assert.match(fake.commentsOn(7)[0]!.body, '**❌ The plan failed:**');
  const none = await runCli(['plan', '--skip-missing-credentials', '--github-comment', '--target', 'api7-prod'], { cwd, env: githubEnv(fake, { pr: 8 }) });
  assert.is(none.code, 0, none.stderr);
  assert.match(none.stderr, 'Plan skipped. No target has its credentials in this environment: api7-prod (API7_TOKEN is not set).');
  assert.match(fake.commentsOn(8)[0]!.body, '**⏭️ The plan was skipped.** No target has its credentials');
});

test('github comment --skipped explains a skipped plan (pull requests from forks)', async () => {
  const cwd = copyExampleProject();
  const reason = 'This pull request comes from a fork, and GitHub gives such workflows no secrets.';
  const result = await runCli(['github', 'comment', '--skipped', reason], { cwd, env: githubEnv(fake, { pr: 9 }) });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, 'Commented on pull request #9 (plan skipped)');
  assert.match(fake.commentsOn(9)[0]!.body, /^<!-- apiproducts:plan -->\n## apiproducts plan\n\n\*\*⏭️ The plan was skipped\.\*\* This pull request comes from a fork/);
  const usage = await runCli(['github', 'comment'], { cwd, env: githubEnv(fake) });
  assert.is(usage.code, 1);
  assert.match(usage.stderr, 'github comment needs exactly one of --plan FILE or --skipped REASON');
});

test('a credential in a plan never reaches the PR comment or the step summary: every GitHub body is masked', async () => {
  const cwd = copyExampleProject();
  const env = githubEnv(fake);
  const planned = await runCli(['plan', '--out', 'plan.json'], { cwd });
  assert.is(planned.code, 0, planned.stderr);
  // A plan carrying the token (a live value echoed by a server): the run's own masker must catch it on the way to GitHub.
  const plan = parsePlanFile(readFileSync(join(cwd, 'plan.json'), 'utf8'), 'plan.json');
  const forged = JSON.parse(JSON.stringify(plan).replaceAll('payments', `payments ${GITHUB_TOKEN} ${GITHUB_TOKEN.slice(0, 12)}`));
  writeFileSync(join(cwd, 'plan.json'), serialisePlanFile(forged));
  const commented = await runCli(['github', 'comment', '--plan', 'plan.json'], { cwd, env });
  assert.is(commented.code, 0, commented.stderr);
  const body = fake.commentsOn(7)[0]!.body;
  assert.match(body, 'payments \\*\\*\\* \\*\\*\\*');
  const start = GITHUB_TOKEN.slice(0, 12);
  for (const text of [body, readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8')]) {
    for (const form of [start, escapeMarkdown(start)]) assert.not.ok(text.includes(form), `posted: ${form}`);
  }
});

test('a matrix: the plans of each target make one comment (github comment --plan A --plan B)', async () => {
  const cwd = copyExampleProject();
  for (const [target, file] of [['sandbox-api7', 'a.json'], ['sandbox-apigee', 'b.json']] as const) {
    const planned = await runCli(['plan', '--target', target, '--out', file], { cwd });
    assert.is(planned.code, 0, planned.stderr);
  }
  const env = githubEnv(fake);
  const both = await runCli(['github', 'comment', '--plan', 'a.json', '--plan', 'b.json'], { cwd, env });
  assert.is(both.code, 0, both.stderr);
  assert.is(fake.commentsOn(7).length, 1);
  const whole = await runCli(['plan', '--format', 'markdown'], { cwd });
  const verdict = whole.stdout.split('\n')[0]!;
  assert.match(fake.commentsOn(7)[0]!.body, verdict, 'the same verdict as one plan of both targets');
  const twice = await runCli(['github', 'comment', '--plan', 'a.json', '--plan', 'a.json'], { cwd, env });
  assert.is(twice.code, 1);
  assert.match(twice.stderr, 'a.json and a.json both plan target sandbox-api7');
});

test.run();
