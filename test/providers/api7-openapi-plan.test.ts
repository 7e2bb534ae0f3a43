/**
 * End to end over HTTP against the API7 emulator: a published external product whose OpenAPI
 * document loses operations is planned operation by operation, the removal is high risk and
 * applies only with --allow-destructive; a live document that cannot be read falls back to the
 * digest with a note; reading the documents costs no request.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import yaml from 'js-yaml';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { writeProject } from '../helpers/project.ts';
import { otherClient, TARGET_ENV, TOKEN } from '../helpers/real-target.ts';

const PORTAL = 'portal-default';
const PETSTORE = readFileSync(new URL('../fixtures/openapi/petstore.yaml', import.meta.url), 'utf8');
const running: Api7Emulator[] = [];
test.after(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
});

const PRODUCT = `name: petstore
displayName: Petstore
description: Pets, orders and users.
status: published
visibility: public
targets:
  api7-prod:
    type: external
    openapi: ./specs/petstore.yaml
    serverUrls: [https://petstore.example.com/api/v3]
`;

/** A project with the petstore published on a fresh emulator. */
async function publishedPetstore() {
  const emulator = await startApi7Emulator({ token: TOKEN, state: seedApi7State() });
  running.push(emulator);
  const cwd = writeProject({
    'apiproducts.yaml': `targets:\n  api7-prod:\n    provider: api7\n    url: ${emulator.url}\n    portal: default\n    tokenEnv: API7_TOKEN\n`,
    'products/petstore.yaml': PRODUCT,
    'products/specs/petstore.yaml': PETSTORE,
  });
  const cli = (...args: string[]) => runCli([...args, '--product', 'petstore'], { cwd, env: TARGET_ENV });
  const applied = await cli('apply', '--auto-approve');
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  const live = () => emulator.state.products[PORTAL]!.find((product) => product.name === 'Petstore')!;
  const editSpec = (edit: (doc: Record<string, any>) => void) => {
    const doc = yaml.load(PETSTORE) as Record<string, any>;
    edit(doc);
    writeFileSync(join(cwd, 'products/specs/petstore.yaml'), yaml.dump(doc));
  };
  return { emulator, cli, live, editSpec };
}

test('removed operations of a published external product are listed and high risk; apply needs --allow-destructive', async () => {
  const { emulator, cli, live, editSpec } = await publishedPetstore();
  editSpec((doc) => {
    delete doc.paths['/pet/{petId}'].delete;
    doc.paths['/pet/{petId}/photos'] = { get: { responses: { '200': { description: 'photos' } } } };
    doc.components.schemas.ApiResponse.properties.code.type = 'string';
  });
  const before = emulator.requests.length;
  const json = await cli('plan', '--format', 'json');
  assert.is(json.code, 0, json.stderr);
  const update = JSON.parse(json.stdout).changes.find((change: { action: string }) => change.action === 'update');
  assert.is(update.risk, 'high');
  assert.equal(update.apiOperations.removed, [{ method: 'DELETE', path: '/pet/{petId}' }]);
  assert.equal(update.apiOperations.added, [{ method: 'GET', path: '/pet/{petId}/photos' }]);
  assert.is(update.apiOperations.changed.length, 13, 'every remaining operation answering an ApiResponse');
  assert.match(update.reasons[0], 'removes 1 operation from the published API (DELETE /pet/{petId})');
  const planRequests = emulator.requests.length - before;

  const text = await cli('plan');
  assert.match(text.stdout, /  ! api7-prod\/petstore: update(?: \([a-z ]+ \d+ subscriptions\))?: removes 1 operation from the published API/);
  assert.match(text.stdout, '          15 operations: 1 added, 1 removed, 13 changed\n          - DELETE /pet/{petId}\n          + GET /pet/{petId}/photos\n');
  assert.match(text.stdout, '--allow-destructive');
  assert.is(emulator.requests.length - before, 2 * planRequests, 'each plan costs the same requests: describing the documents sends none');

  const markdown = await cli('plan', '--format', 'markdown');
  assert.match(markdown.stdout, '| ➖ removed | <code>DELETE /pet/\\{petId\\}</code> |  |');

  const document = live().raw_openapi;
  const skipped = await cli('apply', '--auto-approve');
  assert.is(skipped.code, 4, skipped.stdout + skipped.stderr);
  assert.match(skipped.stdout, 'high risk: run apply with --allow-destructive to apply it');
  assert.is(live().raw_openapi, document, 'the live document is unchanged');

  const applied = await cli('apply', '--auto-approve', '--allow-destructive');
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  assert.not.match(live().raw_openapi!, '/pet/{petId}:\n    delete');
  const again = await cli('plan', '--detailed-exitcode');
  assert.is(again.code, 0, again.stdout);
  assert.match(again.stdout, 'No changes.');
});

test('a live document the plan cannot read: the digest change, with the reason, and low risk', async () => {
  const { emulator, cli, live } = await publishedPetstore();
  const { id, created_at: _c, updated_at: _u, ...body } = live();
  await otherClient(emulator, 'PUT', `/api/api_products/${id}?portal_id=${PORTAL}`, { ...body, raw_openapi: 'openapi: 3.0.3\npaths: [unclosed' });
  const json = await cli('plan', '--format', 'json');
  const update = JSON.parse(json.stdout).changes.find((change: { action: string }) => change.action === 'update');
  assert.is(update.apiOperations.status, 'not-compared');
  assert.match(update.apiOperations.reason, 'the live OpenAPI document cannot be read: it is not valid YAML or JSON');
  assert.is(update.risk, 'low');
  assert.equal(update.fields.map((field: { path: string }) => field.path), ['openapi']);
  const text = await cli('plan');
  assert.match(text.stdout, /~ openapi : "sha256:[0-9a-f]{64}" → "sha256:[0-9a-f]{64}"\n {10}operations not compared: the live OpenAPI document cannot be read/);
});

test('a remote $ref in Git is refused: nothing is fetched, the plan says why and shows the digest', async () => {
  const { emulator, cli, editSpec } = await publishedPetstore();
  editSpec((doc) => {
    doc.components.schemas.Tag = { $ref: `${emulator.url}/schemas/tag.yaml` };
  });
  const before = emulator.requests.length;
  const text = await cli('plan');
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, `operations not compared: the OpenAPI document in Git cannot be read: it refers outside itself ("${emulator.url}/schemas/tag.yaml" at components.schemas.Tag)`);
  assert.not.ok(emulator.requests.slice(before).some((request) => request.path.includes('/schemas/')), 'the reference was never fetched');
});

test.run();
