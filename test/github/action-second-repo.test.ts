/**
 * The composite action as another repository runs it (`uses: owner/apiproducts@v1.2.3`): the
 * action's directory holds action.yml and package.json only (no build), the workspace is the
 * team's own repository, and the install step installs the released package of the action's
 * version. npm is a stand-in on PATH (the suite is hermetic): one run finds the package already
 * installed (unpacked from `npm pack`, as test/cli/package.test.ts installs it), one sees the
 * exact `npm install` the step asks for.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { copyExampleProject as copyWithNarrowing, repoRoot } from '../helpers/project.ts';
import { tempDir } from '../helpers/temp.ts';

/**
 * The example project with orders bound to both sandbox environments: the seeded live product has
 * `test` as well, and an update that removes it narrows what 3 apps reach (high risk). These
 * tests are about the reviewed plan, so their base plan has no high-risk change of its own.
 */
function copyExampleProject(): string {
  const cwd = copyWithNarrowing();
  const orders = join(cwd, 'products', 'orders.yaml');
  writeFileSync(orders, readFileSync(orders, 'utf8').replace('environments: [prod]', 'environments: [test, prod]'));
  return cwd;
}


const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
const steps: { id?: string; run?: string }[] = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')).runs.steps;
const script = (id: string) => steps.find((step) => step.id === id)!.run!;

/** action/ (what `uses:` checks out), workspace/ (the team's repository), runner-temp/, and an npm that logs its arguments. */
function layout() {
  const root = tempDir('apiproducts-second-repo-');
  const action = join(root, 'action');
  mkdirSync(action);
  cpSync(join(repoRoot, 'action.yml'), join(action, 'action.yml'));
  cpSync(join(repoRoot, 'package.json'), join(action, 'package.json'));
  const workspace = join(root, 'workspace');
  cpSync(copyExampleProject(), workspace, { recursive: true });
  const runnerTemp = join(root, 'runner-temp');
  mkdirSync(runnerTemp);
  const bin = join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'npm'), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${join(root, 'npm.log')}"\nexit 0\n`);
  chmodSync(join(bin, 'npm'), 0o755);
  return { root, action, workspace, runnerTemp, bin, npmLog: join(root, 'npm.log'), output: join(root, 'output') };
}

type Layout = ReturnType<typeof layout>;

function step(where: Layout, id: string, env: Record<string, string>, cwd = where.workspace) {
  writeFileSync(join(where.root, `${id}.sh`), script(id));
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(where.root, `${id}.sh`)], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: `${where.bin}:${process.env.PATH ?? ''}`,
      GITHUB_ACTION_PATH: where.action,
      GITHUB_WORKSPACE: where.workspace,
      RUNNER_TEMP: where.runnerTemp,
      GITHUB_OUTPUT: where.output,
      GITHUB_STEP_SUMMARY: join(where.root, 'summary.md'),
      NO_COLOR: '1',
      ...env,
    },
  });
  const outputs = Object.fromEntries(
    (existsSync(where.output) ? readFileSync(where.output, 'utf8') : '').split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  writeFileSync(where.output, '');
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, outputs };
}

/** The package of this checkout, installed where the step installs `apiproducts@<version>`. */
function preinstall(where: Layout): void {
  const installed = join(where.runnerTemp, `apiproducts-${manifest.version}`, 'node_modules', manifest.name);
  mkdirSync(installed, { recursive: true });
  const json = execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', where.root], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [report] = JSON.parse(json) as { filename: string }[];
  execFileSync('tar', ['-xzf', join(where.root, report!.filename), '-C', installed, '--strip-components=1']);
  for (const dependency of readdirSync(join(repoRoot, 'node_modules'))) {
    if (dependency !== manifest.name && !dependency.startsWith('.')) symlinkSync(join(repoRoot, 'node_modules', dependency), join(installed, '..', dependency));
  }
}

test('from another repository: installs apiproducts@<the action version> from npm, not the action sources', () => {
  const where = layout();
  const install = step(where, 'install', { INPUT_VERSION: '' });
  assert.is(install.code, 0, install.stderr);
  const prefix = join(where.runnerTemp, `apiproducts-${manifest.version}`);
  assert.is(readFileSync(where.npmLog, 'utf8'), `install --prefix ${prefix} --no-save --no-audit --no-fund --ignore-scripts apiproducts@${manifest.version}\n`);
  assert.is(install.outputs.cli, join(prefix, 'node_modules', 'apiproducts', 'dist', 'src', 'cli.js'));
  const pinned = step(layout(), 'install', { INPUT_VERSION: '9.8.7' });
  assert.match(pinned.outputs.cli!, '/apiproducts-9.8.7/node_modules/apiproducts/');
  const hostile = step(layout(), 'install', { INPUT_VERSION: 'latest; rm -rf /' });
  assert.is(hostile.code, 1);
  assert.match(hostile.stdout, '::error title=apiproducts::version must be a released version such as 1.2.3');
});

test('inside apiproducts\' own repository (`uses: ./`), the checkout is the tool', () => {
  const where = layout();
  mkdirSync(join(where.workspace, 'dist', 'src'), { recursive: true });
  writeFileSync(join(where.workspace, 'dist', 'src', 'cli.js'), '');
  const install = step(where, 'install', { INPUT_VERSION: '', GITHUB_ACTION_PATH: where.workspace });
  assert.is(install.code, 0, install.stderr);
  assert.is(install.outputs.cli, join(where.workspace, 'dist', 'src', 'cli.js'));
  assert.not.ok(existsSync(where.npmLog), 'built already: no npm call');
});

test('the installed package plans the team\'s repository: plan-path, has-changes and exit-code outputs', () => {
  const where = layout();
  preinstall(where);
  const install = step(where, 'install', { INPUT_VERSION: '' });
  assert.is(install.code, 0, install.stderr);
  assert.not.ok(existsSync(where.npmLog), 'already installed: npm is not called again');
  const env = { APIPRODUCTS_CLI: install.outputs.cli!, INPUT_COMMAND: 'plan', INPUT_ARGS: '--out plan.json', GITHUB_TOKEN: '' };
  const plan = step(where, 'run', env);
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, 'Plan: 8 to create, 2 to update');
  assert.equal(plan.outputs, { 'exit-code': '0', 'has-changes': 'true', 'plan-path': join(where.workspace, 'plan.json') });
  const apply = step(where, 'run', { ...env, INPUT_COMMAND: 'apply', INPUT_ARGS: 'plan.json' });
  assert.is(apply.code, 0, apply.stderr);
  assert.equal(apply.outputs, { 'exit-code': '0', 'has-changes': 'false', 'plan-path': '' });
  const again = step(where, 'run', { ...env, INPUT_ARGS: '--out=again.json --detailed-exitcode' });
  assert.equal(again.outputs, { 'exit-code': '0', 'has-changes': 'false', 'plan-path': join(where.workspace, 'again.json') });
  const broken = step(where, 'run', { ...env, INPUT_ARGS: '--out plan.json --target nope' });
  assert.is(broken.code, 1);
  assert.equal(broken.outputs, { 'exit-code': '1', 'has-changes': 'false', 'plan-path': '' }, 'the plan.json of an earlier run is not this run\'s');
});

test.run();
