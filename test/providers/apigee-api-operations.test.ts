/**
 * Issue 14 item 2, Apigee X GraphQL and gRPC operation groups from Git (api-operations.ts), over
 * real HTTP against the X emulator: imported, compared and written when Git writes them, kept and
 * not compared when it does not; each config's quota and attributes are kept as read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { apigee } from '../../src/providers/apigee/index.ts';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState } from '../../src/sandbox/apigee/state.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { apigeeTarget, ORG, productFromText, TARGET, TOKEN, type Flavour } from './apigee-fixtures.ts';

const NAME = 'loyalty-console';
const GRAPHQL = { operationConfigType: 'proxy', operationConfigs: [{ apiSource: 'loyalty-graph', operations: [{ operationTypes: ['QUERY'], operation: 'points' }], quota: { limit: '10', interval: '1', timeUnit: 'minute' } }] };
const GRPC = { operationConfigs: [{ apiSource: 'loyalty-grpc', service: 'loyalty.v1.Points', methods: ['Get'], attributes: [{ name: 'tier', value: 'basic' }] }] };

const running: ApigeeEmulator[] = [];
test.after(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
});

async function xProject() {
  const state = seedApigeeState(ORG, 'x');
  Object.assign(state.products[NAME]!, { graphqlOperationGroup: structuredClone(GRAPHQL), grpcOperationGroup: structuredClone(GRPC) });
  const emulator = await startApigeeEmulator({ flavour: 'x', org: ORG, credentials: { token: TOKEN }, state });
  running.push(emulator);
  const config = `targets:\n  apigee-prod:\n    provider: apigee\n    flavour: x\n    url: ${emulator.url}\n    org: ${ORG}\n    tokenEnv: APIGEE_TOKEN\n`;
  const cwd = writeProject({ 'apiproducts.yaml': config });
  const cli = (...args: string[]) => runCli(args, { cwd, env: { APIGEE_TOKEN: TOKEN } });
  assert.is((await cli('import')).code, 0);
  return { emulator, file: join(cwd, 'products', `${NAME}.yaml`), cli };
}

const planFields = async (cli: (...args: string[]) => Promise<{ stdout: string }>): Promise<string[]> =>
  ((JSON.parse((await cli('plan', '--format', 'json')).stdout).changes as { key: string; fields: { path: string }[] }[]).find((c) => c.key === NAME)?.fields ?? []).map((f) => f.path);

test('import writes graphqlOperations and grpcOperations; adopted, the groups are byte-identical and the plan empty', async () => {
  const { emulator, file, cli } = await xProject();
  const text = readFileSync(file, 'utf8');
  assert.match(text, 'graphqlOperations:\n      - apiSource: loyalty-graph\n        operationTypes: [QUERY]\n        operation: points\n');
  assert.match(text, 'grpcOperations:\n      - apiSource: loyalty-grpc\n        service: loyalty.v1.Points\n        methods: [Get]\n');
  assert.is((await cli('validate')).code, 0);
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.equal(emulator.state.products[NAME]!.graphqlOperationGroup, GRAPHQL);
  assert.equal(emulator.state.products[NAME]!.grpcOperationGroup, GRPC);
  assert.match((await cli('plan')).stdout, 'No changes.');
});

test('two gRPC configs of one service and methods, each with its own quota: both kept by an unrelated update and by a new entry', async () => {
  const { emulator, file, cli } = await xProject();
  const twice = { operationConfigs: [
    { apiSource: 'loyalty-grpc', service: 'loyalty.v1.Points', methods: ['Get'], quota: { limit: '7', interval: '1', timeUnit: 'minute' } },
    { apiSource: 'loyalty-grpc', service: 'loyalty.v1.Points', methods: ['Get'], quota: { limit: '9', interval: '1', timeUnit: 'hour' }, attributes: [{ name: 'second', value: 'yes' }] },
  ] };
  emulator.state.products[NAME]!.grpcOperationGroup = structuredClone(twice);
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.equal(emulator.state.products[NAME]!.grpcOperationGroup, twice, 'the adoption kept both');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^description: .*$/m, 'description: Edited in Git.'));
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.equal(emulator.state.products[NAME]!.grpcOperationGroup, twice, 'an unrelated update kept both');
  writeFileSync(file, readFileSync(file, 'utf8').replace('        methods: [Get]\n', '        methods: [Get]\n      - apiSource: loyalty-grpc\n        service: loyalty.v1.Tiers\n'));
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  const configs = (emulator.state.products[NAME]!.grpcOperationGroup as typeof twice).operationConfigs;
  assert.equal(configs.slice(0, 2), twice.operationConfigs, 'a new entry kept both');
  assert.equal(configs.slice(2).map((config) => config.service), ['loyalty.v1.Tiers']);
  assert.match((await cli('plan')).stdout, 'No changes.');
});

test('a GraphQL operation added in Git joins its config (quota kept); an out-of-band change of a written group is drift', async () => {
  const { emulator, file, cli } = await xProject();
  writeFileSync(file, readFileSync(file, 'utf8').replace('        operation: points\n', '        operation: points\n      - {apiSource: loyalty-graph, operationTypes: [MUTATION], operation: redeem}\n'));
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  const [config] = (emulator.state.products[NAME]!.graphqlOperationGroup as typeof GRAPHQL).operationConfigs;
  assert.equal(config!.operations, [{ operationTypes: ['QUERY'], operation: 'points' }, { operationTypes: ['MUTATION'], operation: 'redeem' }]);
  assert.equal(config!.quota, GRAPHQL.operationConfigs[0]!.quota);
  assert.match((await cli('plan')).stdout, 'No changes.');
  (emulator.state.products[NAME]!.grpcOperationGroup as typeof GRPC).operationConfigs[0]!.methods = ['Get', 'Delete'];
  assert.equal(await planFields(cli), ['grpcOperations']);
});

test('groups Git does not write keep their live value: an out-of-band change shows nothing, and apply keeps it', async () => {
  const { emulator, file, cli } = await xProject();
  writeFileSync(file, readFileSync(file, 'utf8').replace(/    graphqlOperations:\n(?:      .*\n)+/, '').replace(/    grpcOperations:\n(?:      .*\n)+/, ''));
  (emulator.state.products[NAME]!.grpcOperationGroup as typeof GRPC).operationConfigs[0]!.methods = ['Get', 'Delete'];
  assert.equal(await planFields(cli), ['ownership']);
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.equal((emulator.state.products[NAME]!.grpcOperationGroup as typeof GRPC).operationConfigs[0]!.methods, ['Get', 'Delete']);
  assert.equal(emulator.state.products[NAME]!.graphqlOperationGroup, GRAPHQL);
  assert.match((await cli('plan')).stdout, 'No changes.');
});

test('validate: GraphQL and gRPC operations bound a product on X; Edge refuses them', () => {
  const rules = (binding: string, flavour: Flavour = 'x') => apigee.validateBinding(productFromText(`name: points\ntargets:\n  ${TARGET}:\n${binding}`), apigeeTarget(flavour)).map((d) => d.rule);
  assert.equal(rules('    graphqlOperations: [{apiSource: g, operationTypes: [QUERY]}]\n'), []);
  assert.equal(rules('    grpcOperations: [{apiSource: g, service: s.v1.S}]\n'), []);
  assert.equal(rules('    graphqlOperations: [{apiSource: g}]\n', 'edge'), ['apigee/operations-edge']);
  assert.equal(rules('    grpcOperations: [{apiSource: g, service: s.v1.S}]\n', 'edge'), ['apigee/operations-edge']);
});

test.run();
