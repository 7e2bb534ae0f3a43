import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { copyExampleProject, repoRoot, runCli } from '../helpers/project.ts';

test("docs/github.md's sample comment is the golden comment for the example products", () => {
  const page = readFileSync(join(repoRoot, 'docs', 'github.md'), 'utf8');
  const block = page.match(/<!-- sample-comment:start -->\n([\s\S]*?)\n<!-- sample-comment:end -->/);
  assert.ok(block, 'docs/github.md has the sample comment block');
  const golden = readFileSync(join(repoRoot, 'test', 'golden', 'github', 'example-products.md'), 'utf8');
  const quoted = golden.trimEnd().split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n');
  assert.fixture(block![1]!, quoted, 'copy test/golden/github/example-products.md into docs/github.md (each line prefixed with "> ")');
});

test("docs/github.md's matrix example is a valid workflow: one plan and one apply job per target, one comment, least privilege", () => {
  const page = readFileSync(join(repoRoot, 'docs', 'github.md'), 'utf8');
  const block = page.match(/<!-- matrix-example:start -->\n```yaml\n([\s\S]*?)```\n<!-- matrix-example:end -->/);
  assert.ok(block, 'docs/github.md has the matrix example');
  assert.equal(validateWorkflow(block![1]!).errors, []);
  const workflow = parse(block![1]!) as any;
  assert.equal(workflow.permissions, {});
  assert.equal(workflow.jobs.plan.strategy.matrix.target, workflow.jobs.apply.strategy.matrix.target);
  assert.equal(workflow.jobs.plan.permissions, { contents: 'read' }, 'the plan jobs do not comment: the comment job does, once');
  assert.equal(workflow.jobs.comment.permissions, { contents: 'read', 'pull-requests': 'write' });
  assert.equal(workflow.jobs.apply.permissions, { contents: 'read', actions: 'read', 'pull-requests': 'write' });
  assert.is(workflow.jobs.apply.concurrency['cancel-in-progress'], false);
  assert.match(workflow.jobs.plan.steps.at(-1).with.name, 'apiproducts-plan-${{ matrix.target }}');
  assert.match(workflow.jobs.apply.steps.at(-1).run, 'github apply --target "$TARGET" --artifact "apiproducts-plan-$TARGET"');
  for (const job of Object.values<any>(workflow.jobs)) for (const step of job.steps) if (step.run) assert.not.match(step.run, '${{');
});

test('help documents the github command and the GitHub flags of plan and drift', async () => {
  const cwd = copyExampleProject();
  const github = await runCli(['github', '--help'], { cwd });
  assert.is(github.code, 0);
  for (const text of ['Usage: apiproducts github comment --plan PLAN_FILE', 'drift-issue', 'GITHUB_EVENT_PATH', 'GITHUB_API_URL', '::error file=']) assert.match(github.stdout, text);
  const plan = await runCli(['plan', '--help'], { cwd });
  assert.match(plan.stdout, '--github-comment');
  assert.match(plan.stdout, '--skip-missing-credentials');
  assert.match((await runCli(['drift', '--help'], { cwd })).stdout, '--github-issue');
  assert.match((await runCli(['--help'], { cwd })).stdout, /\n  github +sticky plan comment/);
  const bare = await runCli(['github'], { cwd });
  assert.is(bare.code, 1);
  assert.match(bare.stderr, 'github needs a subcommand: comment, apply or drift-issue');
  const wrong = await runCli(['github', 'comment', '--format', 'json'], { cwd });
  assert.is(wrong.code, 1);
  assert.match(wrong.stderr, 'github does not take --format');
});

test.run();
