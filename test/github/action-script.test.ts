import { tempDir } from '../helpers/temp.ts';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/project.ts';

/** The run script of action.yml's `apiproducts` step, executed as the runner would (bash -eo pipefail). */
const script: string = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')).runs.steps.find((s: any) => s.id === 'run').run;

/** A stand-in CLI: prints its arguments as JSON and what apply would print, exits with STUB_EXIT. */
const STUB = `console.log(JSON.stringify(process.argv.slice(2))); console.log('apply <report> & done'); process.exit(Number(process.env.STUB_EXIT ?? 0));`;

function runAction(command: string, args: string, exit = 0) {
  const dir = tempDir('apiproducts-action-');
  writeFileSync(join(dir, 'cli.mjs'), STUB);
  writeFileSync(join(dir, 'step.sh'), script);
  const env = {
    PATH: process.env.PATH ?? '',
    APIPRODUCTS_CLI: join(dir, 'cli.mjs'),
    INPUT_COMMAND: command,
    INPUT_ARGS: args,
    GITHUB_TOKEN: 'ghs_not-printed',
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    STUB_EXIT: String(exit),
  };
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(dir, 'step.sh')], { cwd: dir, env, encoding: 'utf8' });
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');
  const argv = result.stdout.split('\n').find((l) => l.startsWith('['));
  return { code: result.status, stdout: result.stdout, argv: argv ? JSON.parse(argv) : undefined, output: read('output'), summary: read('summary.md'), dir };
}

test('args are split like a shell command line, quotes honoured, nothing expanded or executed', () => {
  const run = runAction('github', `comment --skipped "a fork's pull request: \\$HOME \`id\` $(touch pwned)" --pr 3`);
  assert.is(run.code, 0, run.stdout);
  assert.equal(run.argv, ['github', 'comment', '--skipped', "a fork's pull request: \\$HOME `id` $(touch pwned)", '--pr', '3']);
  assert.not.ok(existsSync(join(run.dir, 'pwned')));
  assert.equal(runAction('plan', '').argv, ['plan']);
  assert.equal(runAction('plan', '--github-comment   --out plan.json').argv, ['plan', '--github-comment', '--out', 'plan.json']);
});

test('exit 2 (changes pending, drift) passes the step and is the exit-code output', () => {
  const run = runAction('drift', '--github-issue', 2);
  assert.is(run.code, 0);
  assert.match(run.output, 'exit-code=2\nhas-changes=true\nplan-path=\n');
  assert.is(run.summary, '', 'only apply writes its report to the summary');
});

test('github apply writes its report to the step summary; waiting for approval (2) passes the step', () => {
  const run = runAction('github', 'apply --lock-timeout 10m', 2);
  assert.is(run.code, 0);
  assert.match(run.summary, '## apiproducts apply (exit code 2)');
  assert.is(runAction('github', 'apply', 3).code, 3, 'a refused re-plan fails the step');
  assert.is(runAction('github', 'comment --plan plan.json', 0).summary, '');
});

test('apply: exit 4 fails the step and the escaped report goes to the step summary', () => {
  const run = runAction('apply', '--auto-approve', 4);
  assert.is(run.code, 4);
  assert.match(run.output, 'exit-code=4');
  assert.match(run.summary, '## apiproducts apply (exit code 4)');
  assert.match(run.summary, '<pre>\n[&quot;apply&quot;,&quot;--auto-approve&quot;]'.replace(/&quot;/g, '"'));
  assert.match(run.summary, 'apply &lt;report&gt; &amp; done');
  assert.is(runAction('apply', '--auto-approve', 3).code, 3, 'a stale plan fails too');
});

test('an unknown command is refused with an annotation', () => {
  const run = runAction('destroy', '');
  assert.is(run.code, 1);
  assert.match(run.stdout, '::error title=apiproducts::command must be plan, apply, drift, validate or github, got "destroy"');
});

test.run();
