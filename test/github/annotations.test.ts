import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeData, escapeProperty, printAnnotations, renderAnnotations } from '../../src/github/annotations.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { copyExampleProject, repoRoot, runCli } from '../helpers/project.ts';

const at = (line: number, column: number, file = 'products/payments.yaml') => ({ file, line, column });
const error = (n: number): Diagnostic => ({ severity: 'error', rule: 'schema/enum', message: `problem ${n}`, source: at(n, 3) });
const warning = (n: number): Diagnostic => ({ severity: 'warning', rule: 'api7/plans', message: `note ${n}`, source: at(n, 1) });

test('an error becomes ::error with file, line, col and title; a warning ::warning', () => {
  const lines = renderAnnotations(
    [
      { severity: 'error', rule: 'schema/enum', message: 'visibility must be one of public, logged-in', source: at(9, 13), fix: 'use public' },
      { severity: 'warning', rule: 'api7/plans', message: 'plans are ignored on API7', source: at(20, 3) },
    ],
    { projectDir: '/repo' },
  );
  assert.equal(lines, [
    '::error file=products/payments.yaml,line=9,col=13,title=apiproducts schema/enum::visibility must be one of public, logged-in%0Afix: use public',
    '::warning file=products/payments.yaml,line=20,col=3,title=apiproducts api7/plans::plans are ignored on API7',
  ]);
});

test('%, CR and LF are escaped in data; also : and , in properties', () => {
  assert.is(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
  assert.is(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  const [line] = renderAnnotations(
    [{ severity: 'error', rule: 'x', message: 'line one\n::warning::forged\r50%', source: at(1, 1, 'products/we,ird:name.yaml') }],
    { projectDir: '/repo' },
  );
  // The message is outside text: its newline is shown as the escaper writes it, not as a line break.
  assert.is(line, '::error file=products/we%2Cird%3Aname.yaml,line=1,col=1,title=apiproducts x::line one\\u000A::warning::forged\\u000D50%25');
  assert.not.match(line!, '\n');
});

test('a message from a portal adds no workflow command and no ESC to the log, in message, fix or target', () => {
  const forged = 'x\u001b[2K\rPlan: 0 to create\n::add-mask::secret\u202e';
  const lines = renderAnnotations([{ severity: 'error', rule: 'api7/http', target: forged, message: forged, fix: forged }], { projectDir: '/repo' });
  assert.is(lines.length, 1);
  assert.not.match(lines[0]!, /[\u0000-\u001f\u202a-\u202e]/);
  // The forged command stays inside this annotation's data: a workflow command starts only a line.
  assert.ok(lines[0]!.startsWith('::error title=apiproducts api7/http::target x\\u001B[2K\\u000DPlan: 0 to create\\u000A::add-mask::'));
});

test('paths are relative to GITHUB_WORKSPACE when the project is in a subdirectory', () => {
  const [line] = renderAnnotations([error(4)], { projectDir: '/work/repo/portal', workspace: '/work/repo' });
  assert.match(line!, '::error file=portal/products/payments.yaml,line=4,col=3,');
});

test('a diagnostic without a file names its target and has no file property', () => {
  const [line] = renderAnnotations([{ severity: 'error', rule: 'api7/unreachable', message: 'HTTP 401', target: 'api7-prod' }], { projectDir: '/repo' });
  assert.is(line, '::error title=apiproducts api7/unreachable::target api7-prod: HTTP 401');
});

test('at most 10 of each type: beyond that, 9 and a 10th that counts the rest', () => {
  const lines = renderAnnotations([...Array.from({ length: 25 }, (_, i) => error(i + 1)), ...Array.from({ length: 12 }, (_, i) => warning(i + 1))], { projectDir: '/r' });
  const errors = lines.filter((l) => l.startsWith('::error '));
  const warnings = lines.filter((l) => l.startsWith('::warning '));
  assert.is(errors.length, 10);
  assert.is(warnings.length, 10);
  assert.match(errors[8]!, '::problem 9');
  assert.is(errors[9], '::error title=apiproducts%3A more problems::16 more errors not annotated (GitHub shows 10 per step): every problem is listed in the log of this step.');
  assert.match(warnings[9]!, '3 more warnings not annotated');
  const exactly10 = renderAnnotations(Array.from({ length: 10 }, (_, i) => error(i)), { projectDir: '/r' });
  assert.is(exactly10.length, 10);
  assert.not.match(exactly10.join('\n'), 'more problems');
});

test('printed only when GITHUB_ACTIONS=true', () => {
  const printed: string[] = [];
  printAnnotations([error(1)], {}, '/r', (t) => printed.push(t));
  printAnnotations([error(1)], { GITHUB_ACTIONS: 'false' }, '/r', (t) => printed.push(t));
  assert.is(printed.length, 0);
  printAnnotations([error(1)], { GITHUB_ACTIONS: 'true' }, '/r', (t) => printed.push(t));
  assert.is(printed.length, 1);
});

test('the CLI annotates every validation error in GitHub Actions, and only there', async () => {
  const cwd = join(repoRoot, 'test', 'fixtures', 'invalid', 'three-defects');
  const plain = await runCli(['validate'], { cwd });
  assert.is(plain.code, 1);
  assert.not.match(plain.stderr, '::error');
  const actions = await runCli(['validate'], { cwd, env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: repoRoot } });
  assert.is(actions.code, 1);
  const annotations = actions.stderr.split('\n').filter((l) => l.startsWith('::error '));
  const diagnostics = actions.stderr.split('\n').filter((l) => / error \[/.test(l));
  assert.ok(annotations.length >= 3, actions.stderr);
  assert.is(annotations.length, diagnostics.length);
  for (const line of annotations) assert.match(line, /^::error file=test\/fixtures\/invalid\/three-defects\/[^,]+,line=\d+,col=\d+,title=apiproducts [^:]+::./);
  assert.is(actions.stdout, plain.stdout, 'stdout is unchanged');
});

test('a UserError without diagnostics is annotated too', async () => {
  const result = await runCli(['github', 'comment', '--plan', 'plan.json'], { cwd: copyExampleProject(), env: { GITHUB_ACTIONS: 'true' } });
  assert.is(result.code, 1);
  assert.match(result.stderr, /^::error title=apiproducts error::GITHUB_TOKEN is not set/m);
});

test.run();
