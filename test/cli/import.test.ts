/**
 * `apiproducts import` through the built binary, over real HTTP: against the embedded sandbox of a
 * fresh project that has only apiproducts.yaml, and against an emulator holding every product
 * shape (the example products applied by another project).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import { tool } from '../../src/commands/tool-info.ts';
import * as assert from 'uvu/assert';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { portalId, seedApi7State } from '../../src/sandbox/api7/state.ts';
import { copyExampleProject, writeProject } from '../helpers/project.ts';
// In-process: what the CLI says is tested here; the process contract is in test/cli/cli.test.ts.
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { exampleAgainstEmulator, TARGET_ENV, TOKEN } from '../helpers/real-target.ts';

const SANDBOX_ONLY = 'targets:\n  sandbox-api7:\n    provider: api7\n    sandbox: true\n    portal: default\n';
const HINT = 'Run apiproducts plan: imported products show no changes; unowned ones are adopted (marked as managed) on the next apply.';
const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

const running: Api7Emulator[] = [];
test.after(async () => {
  await Promise.all(running.map((e) => e.close()));
});

function freshProject(config = SANDBOX_ONLY): { cwd: string; cli: (...args: string[]) => ReturnType<typeof runCli> } {
  const cwd = writeProject({ 'apiproducts.yaml': config });
  return { cwd, cli: (...args) => runCli(args, { cwd }) };
}

test('import --help prints its usage, the never-overwrite rule and the exit codes', async () => {
  const { cli } = freshProject();
  const help = await cli('import', '--help');
  assert.is(help.code, 0, help.stderr);
  assert.match(help.stdout, 'Usage: apiproducts import');
  assert.match(help.stdout, 'Never overwrites a file');
  assert.match(help.stdout, 'Exit 0 when at least one product was written and none failed');
  assert.match((await cli('--help')).stdout, 'import     write product files');
});

test('sandbox: import everything into a project with only apiproducts.yaml → validate → plan adopts legacy-billing only → apply → No changes.', async () => {
  const { cwd, cli } = freshProject();
  const imported = await cli('import', '--target', 'sandbox-api7');
  assert.is(imported.code, 0, imported.stdout + imported.stderr);
  assert.match(imported.stdout, 'wrote   products/legacy-billing.yaml (legacy-billing; adopt: true, not created by apiproducts)');
  assert.match(imported.stdout, 'wrote   products/orders.yaml (orders)');
  assert.match(imported.stdout, 'Imported 2 products from sandbox-api7 into products/ (0 skipped, 0 failed).');
  assert.match(imported.stdout, HINT);
  assert.equal(readdirSync(join(cwd, 'products')).sort(), ['legacy-billing.yaml', 'orders.yaml']);
  const legacy = readFileSync(join(cwd, 'products', 'legacy-billing.yaml'), 'utf8');
  // A project outside the package: the modeline names the published schema of exactly this version.
  assert.ok(legacy.startsWith(`# yaml-language-server: $schema=https://unpkg.com/${tool.name}@${tool.version}/schemas/product.schema.json\nname: legacy-billing\n`), legacy);
  assert.match(legacy, 'adopt: true');
  assert.not.match(readFileSync(join(cwd, 'products', 'orders.yaml'), 'utf8'), 'adopt');

  const validate = await cli('validate');
  assert.is(validate.code, 0, validate.stdout + validate.stderr);
  assert.match(validate.stdout, 'Valid: 2 products, 1 target.');

  const plan = await cli('plan', '--format', 'json');
  assert.is(plan.code, 0, plan.stderr);
  const changes = JSON.parse(plan.stdout).changes as { action: string; key: string; adopts?: boolean; fields: { path: string }[] }[];
  assert.equal(changes.map((c) => [c.action, c.key, c.adopts, c.fields.map((f) => f.path)]), [['update', 'legacy-billing', true, ['ownership']]]);
  const text = await cli('plan');
  assert.match(text.stdout, 'Plan: 0 to create, 1 to update, 0 to publish, 0 to unpublish, 0 to delete.');

  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  const again = await cli('plan', '--detailed-exitcode');
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, 'No changes.');
  assert.not.match(again.stdout, 'unmanaged');
});

test('round trip of every product shape (gateway, external with its OpenAPI file, DCR auth) over real HTTP: plan shows only the adoption', async () => {
  // Another team's project applied the examples to this portal; ours starts from nothing.
  const { cwd: source, emulator } = await exampleAgainstEmulator();
  running.push(emulator);
  const applied = await runCli(['apply', '--auto-approve'], { cwd: source, env: TARGET_ENV });
  assert.is(applied.code, 0, applied.stdout + applied.stderr);

  const cwd = writeProject({ 'apiproducts.yaml': readFileSync(join(source, 'apiproducts.yaml'), 'utf8') });
  const cli = (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV });
  const imported = await cli('import'); // the only target: no --target needed
  assert.is(imported.code, 0, imported.stdout + imported.stderr);
  assert.is(imported.stderr, '', 'no warnings');
  assert.match(imported.stdout, 'wrote   products/weather.yaml and products/specs/weather.yaml (weather)');
  assert.match(imported.stdout, 'Imported 6 products from api7-prod into products/ (0 skipped, 0 failed).');
  assert.is(readFileSync(join(cwd, 'products/specs/weather.yaml'), 'utf8'), readFileSync(join(source, 'products/specs/weather.yaml'), 'utf8'));
  const weather = readFileSync(join(cwd, 'products/weather.yaml'), 'utf8');
  assert.match(weather, 'openapi: ./specs/weather.yaml');
  assert.match(weather, 'serverUrls: [https://api.weather-partner.example.com/v2]');
  assert.match(readFileSync(join(cwd, 'products/identity.yaml'), 'utf8'), 'dcrProvider: corp-idp');

  const validate = await cli('validate');
  assert.is(validate.code, 0, validate.stdout + validate.stderr);
  assert.match(validate.stdout, 'Valid: 6 products, 1 target.');
  const plan = await cli('plan', '--format', 'json');
  assert.is(plan.code, 0, plan.stderr);
  const changes = JSON.parse(plan.stdout).changes as { action: string; key: string; fields: { path: string }[] }[];
  assert.equal(changes.map((c) => [c.action, c.key, c.fields.map((f) => f.path)]), [['update', 'legacy-billing', ['ownership']]]);

  assert.is((await cli('apply', '--auto-approve')).code, 0);
  const again = await cli('plan');
  assert.match(again.stdout, 'No changes.');
  // The team that applied the examples sees the same portal as before: nothing of theirs moved.
  const theirs = await runCli(['plan'], { cwd: source, env: TARGET_ENV });
  assert.match(theirs.stdout, 'No changes.');
});

test('a product whose file exists is skipped and the file left untouched; one defined in Git is skipped too', async () => {
  const { cwd, cli } = freshProject();
  mkdirSync(join(cwd, 'products'));
  // A file with the product's file name that defines another product.
  const mine = '# hand-written\nname: billing-notes\ntargets:\n  sandbox-api7:\n    type: gateway\n    services: [{gatewayGroup: production, service: billing}]\n';
  writeFileSync(join(cwd, 'products', 'legacy-billing.yaml'), mine);

  const only = await cli('import', '--target', 'sandbox-api7', '--product', 'legacy-billing');
  assert.is(only.code, 1, 'nothing written');
  assert.match(only.stdout, 'skipped legacy-billing: products/legacy-billing.yaml already exists (not overwritten)');
  assert.match(only.stderr, 'nothing was imported');
  assert.not.match(only.stdout, HINT);
  assert.is(readFileSync(join(cwd, 'products', 'legacy-billing.yaml'), 'utf8'), mine);

  const all = await cli('import', '--target', 'sandbox-api7');
  assert.is(all.code, 0, all.stdout + all.stderr);
  assert.match(all.stdout, 'Imported 1 product from sandbox-api7 into products/ (1 skipped, 0 failed).');
  assert.is(readFileSync(join(cwd, 'products', 'legacy-billing.yaml'), 'utf8'), mine);

  // orders is now in Git: importing it again skips it, whatever file it would go to.
  const again = await cli('import', '--target', 'sandbox-api7', '--product', 'orders', '--out', 'elsewhere');
  assert.is(again.code, 1);
  assert.match(again.stdout, 'skipped orders: already defined in products/orders.yaml');
  assert.not.ok(existsSync(join(cwd, 'elsewhere', 'orders.yaml')));
});

test('a live product holding what looks like a credential is not written: validate would refuse its file', async () => {
  const emulator = await startApi7Emulator({ token: TOKEN, state: seedApi7State() });
  running.push(emulator);
  const [orders, legacy] = ['prod-orders', 'prod-legacy-billing'].map((id) => emulator.state.products[portalId('default')]!.find((p) => p.id === id)!);
  const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
  const RANDOM = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  orders!.desc = `Call it with the staging key ${AWS_KEY}`;
  legacy!.labels = { ...legacy!.labels, apikey: RANDOM };
  const { cwd } = freshProject(`targets:\n  api7-prod:\n    provider: api7\n    url: ${emulator.url}\n    portal: default\n    tokenEnv: API7_TOKEN\n`);
  const result = await runCli(['import', '--target', 'api7-prod'], { cwd, env: TARGET_ENV });
  assert.is(result.code, 1, result.stdout + result.stderr);
  const said = result.stdout + result.stderr;
  assert.match(said, /failed {2}orders: field description holds what looks like an AWS access key id[^\n]*, which a product file must not carry \(validate refuses it as secret\/literal\); not written/);
  assert.match(said, /failed {2}legacy-billing: field labels\.apikey holds what looks like a high-entropy/);
  assert.not.match(said, AWS_KEY);
  assert.not.match(said, RANDOM);
  assert.not.ok(existsSync(join(cwd, 'products', 'orders.yaml')));
  assert.not.ok(existsSync(join(cwd, 'products', 'legacy-billing.yaml')));
});

test('--product selects by name (repeatable); --out writes elsewhere', async () => {
  const { cwd, cli } = freshProject();
  const result = await cli('import', '--target', 'sandbox-api7', '--product', 'orders', '--product', 'legacy-billing', '--out', 'imported');
  assert.is(result.code, 0, result.stdout + result.stderr);
  assert.equal(readdirSync(join(cwd, 'imported')).sort(), ['legacy-billing.yaml', 'orders.yaml']);
  assert.match(result.stdout, 'Imported 2 products from sandbox-api7 into imported/');
  assert.not.ok(existsSync(join(cwd, 'products')), 'the products directory made for loading is removed again when empty');
});

test('unknown --product, a missing or ambiguous --target: exit 1, a clear message, nothing written', async () => {
  const { cwd, cli } = freshProject();
  const unknown = await cli('import', '--target', 'sandbox-api7', '--product', 'Legacy Billing', '--product', 'orders');
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, 'Error: unknown product "Legacy Billing" on target sandbox-api7; it has: legacy-billing, orders');
  assert.not.ok(existsSync(join(cwd, 'products')));

  const two = freshProject(SANDBOX_ONLY + '  sandbox-two:\n    provider: api7\n    sandbox: true\n');
  const missing = await two.cli('import');
  assert.is(missing.code, 1);
  assert.match(missing.stderr, 'import needs --target NAME: the target to import from (apiproducts.yaml defines: sandbox-api7, sandbox-two)');
  const both = await two.cli('import', '--target', 'sandbox-api7', '--target', 'sandbox-two');
  assert.is(both.code, 1);
  assert.match(both.stderr, 'import reads one target at a time');
  const stray = await cli('import', '--target', 'sandbox-api7', '--format', 'json');
  assert.is(stray.code, 1);
  assert.match(stray.stderr, 'import does not take --format');
  for (const result of [unknown, missing, both, stray]) assert.not.match(result.stderr, STACK_FRAME);
});

test('Apigee: the two plans of payments come back as ONE product with two plans; plan then shows only the adoption', async () => {
  const source = copyExampleProject();
  assert.is((await runCli(['apply', '--auto-approve', '--allow-destructive', '--target', 'sandbox-apigee'], { cwd: source })).code, 0);
  const { cwd, cli } = freshProject(readFileSync(join(source, 'apiproducts.yaml'), 'utf8'));
  cpSync(join(source, '.apiproducts'), join(cwd, '.apiproducts'), { recursive: true });
  const imported = await cli('import', '--target', 'sandbox-apigee');
  assert.is(imported.code, 0, imported.stdout + imported.stderr);
  assert.match(imported.stdout, 'wrote   products/payments.yaml (payments-free, payments-premium)');
  assert.equal(readdirSync(join(cwd, 'products')).sort(), ['identity.yaml', 'legacy-billing-product.yaml', 'loyalty.yaml', 'orders.yaml', 'payments.yaml']);
  const plan = await cli('plan', '--target', 'sandbox-apigee', '--format', 'json');
  assert.is(plan.code, 0, plan.stderr);
  const changes = JSON.parse(plan.stdout).changes as { key: string; fields: { path: string }[] }[];
  assert.equal(changes.map((c) => [c.key, c.fields.map((f) => f.path)]), [['legacy-billing-product', ['ownership']]]);
  const again = await cli('import', '--target', 'sandbox-apigee');
  assert.is(again.code, 1, 'everything is already in Git');
  assert.match(again.stdout, 'skipped payments: already defined in products/payments.yaml');
});

test.run();
