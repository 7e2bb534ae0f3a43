import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyExampleProject, readSandboxState, repoRoot, runCli } from '../helpers/project.ts';

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

for (const command of ['validate', 'plan', 'apply', 'sandbox']) {
  test(`${command} --help prints its usage and exits 0`, async () => {
    const result = await runCli([command, '--help'], { cwd: copyExampleProject() });
    assert.is(result.code, 0, result.stderr);
    assert.match(result.stdout, `Usage: apiproducts ${command}`);
  });
}

test('no command prints the overview and exits 1; --help exits 0', async () => {
  const cwd = copyExampleProject();
  const bare = await runCli([], { cwd });
  assert.is(bare.code, 1);
  assert.match(bare.stdout, 'Commands:');
  assert.is((await runCli(['--help'], { cwd })).code, 0);
});

test('unknown commands and options are clear usage errors without a stack trace', async () => {
  const cwd = copyExampleProject();
  const unknownCommand = await runCli(['deploy'], { cwd });
  assert.is(unknownCommand.code, 1);
  assert.match(unknownCommand.stderr, 'unknown command "deploy"');
  const unknownOption = await runCli(['plan', '--colour'], { cwd });
  assert.is(unknownOption.code, 1);
  assert.match(unknownOption.stderr, 'unknown option --colour');
  const wrongCommandOption = await runCli(['validate', '--auto-approve'], { cwd });
  assert.is(wrongCommandOption.code, 1);
  assert.match(wrongCommandOption.stderr, 'validate does not take --auto-approve');
  for (const result of [unknownCommand, unknownOption, wrongCommandOption]) assert.not.match(result.stderr, STACK_FRAME);
});

test('validate accepts the shipped example project', async () => {
  const result = await runCli(['validate'], { cwd: copyExampleProject() });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, 'Valid: 5 products, 2 targets.');
});

test('npm start (the README\'s first command) plans the sandbox and shows how to apply', async () => {
  const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const [runner, script, ...args] = (scripts.start ?? '').split(/\s+/);
  assert.equal([runner, script], ['node', 'dist/src/cli.js']);
  const result = await runCli(args, { cwd: copyExampleProject() });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, 'Plan: 8 to create, 2 to update, 0 to publish, 0 to unpublish, 0 to delete.');
  assert.match(result.stdout, 'To apply these changes, run:\n  npx apiproducts apply');
});

test('the main job: plan, apply, then plan says there is nothing to do', async () => {
  const cwd = copyExampleProject();
  const plan = await runCli(['plan'], { cwd });
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, 'Plan: 8 to create, 2 to update, 0 to publish, 0 to unpublish, 0 to delete.');
  assert.match(plan.stdout, '1 unmanaged product on sandbox-api7 left alone');
  assert.match(plan.stdout, '1 unmanaged product on sandbox-apigee left alone');
  assert.match(plan.stdout, 'npx apiproducts apply');
  // The seeded Apigee orders has an environment added by hand: Git removes it, narrowing what 3 apps reach.
  assert.match(plan.stdout, '! sandbox-apigee/orders: update (narrows access for 3 developer apps): the update removes environments "test"');

  const detailed = await runCli(['plan', '--detailed-exitcode'], { cwd });
  assert.is(detailed.code, 2);

  const apply = await runCli(['apply', '--auto-approve', '--allow-destructive'], { cwd });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.match(apply.stdout, 'Apply complete! 10 applied, 0 failed, 0 skipped.');
  assert.match(apply.stdout, /applied +create sandbox-api7\/payments/);
  assert.match(apply.stdout, /applied +create sandbox-apigee\/payments-premium/);

  const again = await runCli(['plan', '--detailed-exitcode'], { cwd });
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, 'No changes.');
});

test('apply without a terminal and without --auto-approve refuses and changes nothing', async () => {
  const cwd = copyExampleProject();
  await runCli(['plan'], { cwd });
  const before = readSandboxState(cwd);
  const result = await runCli(['apply'], { cwd });
  assert.is(result.code, 1);
  assert.match(result.stderr, 'pass --auto-approve');
  assert.is(readSandboxState(cwd), before);
});

test('apply --dry-run reports what would apply and writes nothing', async () => {
  const cwd = copyExampleProject();
  await runCli(['plan'], { cwd });
  const before = readSandboxState(cwd);
  const result = await runCli(['apply', '--dry-run', '--allow-destructive'], { cwd });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, 'Dry run complete: 10 would apply, 0 would be skipped. Nothing was changed.');
  assert.is(readSandboxState(cwd), before);
});

test('plan --format json prints the plan file format; --out writes the same plan', async () => {
  const cwd = copyExampleProject();
  const result = await runCli(['plan', '--format', 'json', '--out', 'plan.json'], { cwd });
  assert.is(result.code, 0, result.stderr);
  const plan = JSON.parse(result.stdout);
  assert.is(plan.formatVersion, 1);
  assert.is(plan.targets[0].identity.url, 'sandbox://sandbox-api7');
  assert.is(plan.changes.length, 10);
  assert.is(plan.targets[1].identity.url, 'sandbox://sandbox-apigee');
  const { readFileSync } = await import('node:fs');
  assert.equal(JSON.parse(readFileSync(`${cwd}/plan.json`, 'utf8')).changes, plan.changes);
});

test('sandbox reset puts the sandbox back to its seeded portal', async () => {
  const cwd = copyExampleProject();
  await runCli(['plan'], { cwd });
  const seeded = readSandboxState(cwd);
  const seededApigee = readSandboxState(cwd, 'sandbox-apigee');
  await runCli(['apply', '--auto-approve'], { cwd });
  assert.is.not(readSandboxState(cwd), seeded);
  const reset = await runCli(['sandbox', 'reset'], { cwd });
  assert.is(reset.code, 0, reset.stderr);
  assert.match(reset.stdout, 'Reset sandbox sandbox-api7 (api7).\nReset sandbox sandbox-apigee (apigee).');
  assert.is(readSandboxState(cwd), seeded);
  assert.is(readSandboxState(cwd, 'sandbox-apigee'), seededApigee);
});

test('--target narrows the run; an unknown target is a clear error', async () => {
  const cwd = copyExampleProject();
  const result = await runCli(['plan', '--target', 'nope'], { cwd });
  assert.is(result.code, 1);
  assert.match(result.stderr, 'unknown target "nope" in --target; apiproducts.yaml defines: sandbox-api7, sandbox-apigee');
});

test('in GitHub Actions, a warning of a successful validate is also a workflow annotation on its line', async () => {
  const cwd = copyExampleProject();
  writeFileSync(
    `${cwd}/products/metered.yaml`,
    'name: metered\nstatus: draft\nplans:\n  - name: free\n    limits: {perDay: 10}\ntargets:\n  sandbox-api7:\n    type: gateway\n    services: [{gatewayGroup: production, service: billing}]\n',
  );
  const result = await runCli(['validate'], { cwd, env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: cwd } });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stderr, '::warning file=products/metered.yaml,line=4,col=3,title=apiproducts api7/plans-ignored::plans are not applied on API7');
});

test.run();
