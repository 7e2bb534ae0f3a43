import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyExampleProject, repoRoot, runCli } from '../helpers/project.ts';

test("docs/github.md's sample comment is the golden comment for the example products", () => {
  const page = readFileSync(join(repoRoot, 'docs', 'github.md'), 'utf8');
  const block = page.match(/<!-- sample-comment:start -->\n([\s\S]*?)\n<!-- sample-comment:end -->/);
  assert.ok(block, 'docs/github.md has the sample comment block');
  const golden = readFileSync(join(repoRoot, 'test', 'golden', 'github', 'example-products.md'), 'utf8');
  const quoted = golden.trimEnd().split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n');
  assert.fixture(block![1]!, quoted, 'copy test/golden/github/example-products.md into docs/github.md (each line prefixed with "> ")');
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
  assert.match(bare.stderr, 'github needs a subcommand: comment or drift-issue');
  const wrong = await runCli(['github', 'comment', '--format', 'json'], { cwd });
  assert.is(wrong.code, 1);
  assert.match(wrong.stderr, 'github does not take --format');
});

test.run();
