/**
 * Issue 14 item 2, Apigee: what users manage in the X console, settable from Git. Over real HTTP
 * against the X emulator, never a stubbed fetch. "Absent is not default": a key Git writes is
 * compared and written; one it leaves out keeps its live value and shows in no plan.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { apigee } from '../../src/providers/apigee/index.ts';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState } from '../../src/sandbox/apigee/state.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { apigeeTarget, ORG, productFromText, TARGET, TOKEN, type Flavour } from './apigee-fixtures.ts';

const ENV = { APIGEE_TOKEN: TOKEN };
const NAME = 'loyalty-console';

const running: ApigeeEmulator[] = [];
test.after(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
});

async function xProject() {
  const emulator = await startApigeeEmulator({ flavour: 'x', org: ORG, credentials: { token: TOKEN }, state: seedApigeeState(ORG, 'x') });
  running.push(emulator);
  const config = `targets:\n  apigee-prod:\n    provider: apigee\n    flavour: x\n    url: ${emulator.url}\n    org: ${ORG}\n    tokenEnv: APIGEE_TOKEN\n`;
  const cwd = writeProject({ 'apiproducts.yaml': config });
  return { emulator, cwd, cli: (...args: string[]) => runCli(args, { cwd, env: ENV }) };
}

type Change = { key: string; fields: { path: string }[] };
const changesOf = (stdout: string): [string, string[]][] => (JSON.parse(stdout).changes as Change[]).map((c) => [c.key, c.fields.map((f) => f.path)]);

test('import of loyalty-console writes quotaCounterScope; after adoption the plan is empty', async () => {
  const { cwd, cli } = await xProject();
  assert.is((await cli('import')).code, 0);
  const text = readFileSync(join(cwd, 'products', `${NAME}.yaml`), 'utf8');
  assert.match(text, 'quotaCounterScope: OPERATION');
  const plan = await cli('plan', '--format', 'json');
  assert.equal(changesOf(plan.stdout), [['legacy-billing-product', ['ownership']], [NAME, ['ownership']]]);
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.match((await cli('plan')).stdout, 'No changes.');
});

test('a live QUOTA_COUNTER_SCOPE_UNSPECIFIED is no scope: import writes none, validate passes, the plan is the adoption only, apply keeps it', async () => {
  const { emulator, cwd, cli } = await xProject();
  emulator.state.products[NAME]!.quotaCounterScope = 'QUOTA_COUNTER_SCOPE_UNSPECIFIED';
  assert.is((await cli('import')).code, 0);
  assert.not.match(readFileSync(join(cwd, 'products', `${NAME}.yaml`), 'utf8'), 'quotaCounterScope');
  assert.is((await cli('validate')).code, 0);
  assert.equal(changesOf((await cli('plan', '--format', 'json')).stdout).filter(([key]) => key === NAME), [[NAME, ['ownership']]]);
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.is(emulator.state.products[NAME]!.quotaCounterScope, 'QUOTA_COUNTER_SCOPE_UNSPECIFIED');
});

test('quotaCounterScope written in Git is compared and written; left out, the live value is kept and not compared', async () => {
  const { emulator, cwd, cli } = await xProject();
  assert.is((await cli('import')).code, 0);
  const file = join(cwd, 'products', `${NAME}.yaml`);
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace('quotaCounterScope: OPERATION', 'quotaCounterScope: PRODUCT'));
  const plan = await cli('plan', '--format', 'json');
  assert.ok(changesOf(plan.stdout).some(([key, fields]) => key === NAME && fields.includes('quotaCounterScope')), plan.stdout);
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.is(emulator.state.products[NAME]!.quotaCounterScope, 'PRODUCT');
  // Left out of Git: an out-of-band change shows nothing, and a Git edit keeps it.
  writeFileSync(file, readFileSync(file, 'utf8').replace(/ *quotaCounterScope: PRODUCT\n/, ''));
  emulator.state.products[NAME]!.quotaCounterScope = 'PROXY';
  assert.match((await cli('plan')).stdout, 'No changes.');
  writeFileSync(file, readFileSync(file, 'utf8').replace('bound by operations.', 'bound by operations. Edited.'));
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.is(emulator.state.products[NAME]!.quotaCounterScope, 'PROXY');
  // Written again: an out-of-band change of it is drift.
  writeFileSync(file, readFileSync(file, 'utf8').replace('    operations:\n', '    quotaCounterScope: PROXY\n    operations:\n'));
  assert.match((await cli('plan')).stdout, 'No changes.');
  emulator.state.products[NAME]!.quotaCounterScope = 'OPERATION';
  const drifted = await cli('plan', '--format', 'json');
  assert.ok(changesOf(drifted.stdout).some(([key, fields]) => key === NAME && fields.includes('quotaCounterScope')), drifted.stdout);
});

test('a new product with quotaCounterScope gets it on create', async () => {
  const { emulator, cwd, cli } = await xProject();
  mkdirSync(join(cwd, 'products'), { recursive: true });
  writeFileSync(join(cwd, 'products', 'points.yaml'), 'name: points\ndisplayName: Points\ntargets:\n  apigee-prod:\n    quotaCounterScope: PROXY\n    operations: [{apiSource: loyalty-v1, resource: /points}]\n');
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.is(emulator.state.products.points!.quotaCounterScope, 'PROXY');
});

type Config = { apiSource: string; operations?: { resource: string }[]; quota?: unknown; attributes?: unknown };
const configs = (emulator: ApigeeEmulator): Config[] => emulator.state.products[NAME]!.operationGroup!.operationConfigs as Config[];
const QUOTA_100 = '        quota:\n          limit: 100\n          interval: 1\n          timeUnit: minute\n';

test('import of loyalty-console writes each operation\'s quota and attributes; adopted, the plan is empty', async () => {
  const { cwd, cli } = await xProject();
  assert.is((await cli('import')).code, 0);
  const text = readFileSync(join(cwd, 'products', `${NAME}.yaml`), 'utf8');
  assert.is(text.split(QUOTA_100).length, 3, text);
  assert.is(text.split('        attributes:\n          tier: basic\n').length, 3, text);
  assert.is((await cli('validate')).code, 0);
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.match((await cli('plan')).stdout, 'No changes.');
});

test('an operation quota written in Git is written (its config split when the others keep theirs); an out-of-band change of it is drift', async () => {
  const { emulator, cwd, cli } = await xProject();
  assert.is((await cli('import')).code, 0);
  const file = join(cwd, 'products', `${NAME}.yaml`);
  // The second operation (/points/**) gets 500 per minute; /points keeps 100.
  const text = readFileSync(file, 'utf8');
  const at = text.lastIndexOf(QUOTA_100);
  writeFileSync(file, text.slice(0, at) + QUOTA_100.replace('100', '500') + text.slice(at + QUOTA_100.length));
  const plan = await cli('plan', '--format', 'json');
  assert.ok(changesOf(plan.stdout).some(([key, fields]) => key === NAME && fields.some((f) => f.startsWith('operationQuota(loyalty-v1 /points/** GET,POST)'))), plan.stdout);
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.equal(configs(emulator).map((c) => [c.operations?.map((o) => o.resource), c.quota, c.attributes]), [
    [['/points'], { limit: '100', interval: '1', timeUnit: 'minute' }, [{ name: 'tier', value: 'basic' }]],
    [['/points/**'], { limit: '500', interval: '1', timeUnit: 'minute' }, [{ name: 'tier', value: 'basic' }]],
  ]);
  assert.match((await cli('plan')).stdout, 'No changes.');
  (configs(emulator)[1]!.quota as { limit: string }).limit = '9999';
  const drifted = await cli('plan', '--format', 'json');
  assert.ok(changesOf(drifted.stdout).some(([key, fields]) => key === NAME && fields.some((f) => f.startsWith('operationQuota(loyalty-v1 /points/** GET,POST)'))), drifted.stdout);
});

test('an operation quota and attributes Git does not write keep their live value: an out-of-band change shows nothing, and apply keeps it', async () => {
  const { emulator, cwd, cli } = await xProject();
  assert.is((await cli('import')).code, 0);
  const file = join(cwd, 'products', `${NAME}.yaml`);
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll(QUOTA_100, '').replaceAll('        attributes:\n          tier: basic\n', ''));
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.equal(configs(emulator)[0]!.quota, { limit: '100', interval: '1', timeUnit: 'minute' });
  configs(emulator)[0]!.quota = { limit: '42', interval: '1', timeUnit: 'hour' };
  configs(emulator)[0]!.attributes = [{ name: 'tier', value: 'gold' }];
  assert.match((await cli('plan')).stdout, 'No changes.');
  writeFileSync(file, readFileSync(file, 'utf8').replace('bound by operations.', 'bound by operations. Edited.'));
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.equal(configs(emulator).map((c) => [c.quota, c.attributes]), [[{ limit: '42', interval: '1', timeUnit: 'hour' }, [{ name: 'tier', value: 'gold' }]]]);
});

test('a new product with an operation quota and attributes gets them on create', async () => {
  const { emulator, cwd, cli } = await xProject();
  mkdirSync(join(cwd, 'products'), { recursive: true });
  writeFileSync(join(cwd, 'products', 'points.yaml'), 'name: points\ndisplayName: Points\ntargets:\n  apigee-prod:\n    operations:\n      - {apiSource: loyalty-v1, resource: /points, quota: {limit: 5, timeUnit: hour}, attributes: {tier: gold}}\n      - {apiSource: loyalty-v1, resource: /rewards}\n');
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  const group = emulator.state.products.points!.operationGroup as { operationConfigs: Config[] };
  assert.equal(group.operationConfigs.map((c) => [c.operations?.map((o) => o.resource), c.quota, c.attributes]), [
    [['/points'], { limit: '5', interval: '1', timeUnit: 'hour' }, [{ name: 'tier', value: 'gold' }]],
    [['/rewards'], undefined, undefined],
  ]);
  assert.match((await cli('plan')).stdout, 'No changes.');
});

test('validate: Edge targets refuse quotaCounterScope; X takes the reference values only', () => {
  const rules = (binding: string, flavour: Flavour = 'x') => apigee.validateBinding(productFromText(`name: points\ntargets:\n  ${TARGET}:\n${binding}`), apigeeTarget(flavour)).map((d) => d.rule);
  assert.equal(rules('    proxies: [p]\n    quotaCounterScope: OPERATION\n'), []);
  assert.equal(rules('    proxies: [p]\n    quotaCounterScope: OPERATION\n', 'edge'), ['apigee/quota-counter-scope-edge']);
  // Operation quotas and attributes are inside operations:, which Edge refuses as a whole.
  assert.equal(rules('    operations: [{apiSource: p, quota: {limit: 5, timeUnit: hour}, attributes: {tier: gold}}]\n', 'edge'), ['apigee/operations-edge']);
  assert.equal(rules('    operations: [{apiSource: p, quota: {limit: 5, timeUnit: hour}, attributes: {tier: gold}}]\n'), []);
});

test.run();
