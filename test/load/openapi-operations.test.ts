/**
 * OpenAPI documents → operations → the diff a plan shows, over real specs: a petstore-sized one
 * and a generated 300-operation one (test/fixtures/openapi/). Each case edits the parsed document
 * and compares it with the original, as Git's document against the portal's.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import yaml from 'js-yaml';
import { describeApi } from '../../src/load/openapi-operations.ts';
import { compareApis } from '../../src/diff/operations.ts';
import type { ApiDescription, OperationsDiff } from '../../src/model/api-operations.ts';
import { tempDir } from '../helpers/temp.ts';

const FIXTURES = new URL('../fixtures/openapi/', import.meta.url);
const PETSTORE_TEXT = readFileSync(new URL('petstore.yaml', FIXTURES), 'utf8');
const GENERATED_TEXT = readFileSync(new URL('generated-300.json', FIXTURES), 'utf8');

type Doc = Record<string, any>;
const petstore = (): Doc => yaml.load(PETSTORE_TEXT) as Doc;
const generated = (): Doc => JSON.parse(GENERATED_TEXT) as Doc;

async function read(document: Doc | string): Promise<Extract<ApiDescription, { status: 'read' }>> {
  const description = await describeApi(typeof document === 'string' ? document : JSON.stringify(document));
  if (description.status !== 'read') throw new Error(`not read: ${description.problem}`);
  return description;
}

async function diff(live: Doc, desired: Doc): Promise<Extract<OperationsDiff, { status: 'compared' }>> {
  const result = compareApis(await read(live), await read(desired));
  if (result.status !== 'compared') throw new Error(result.reason);
  return result;
}

const names = (operations: { method: string; path: string }[]): string[] => operations.map((o) => `${o.method} ${o.path}`);

test('the petstore has its 19 operations; path parameters by position, security inherited or overridden', async () => {
  const { operations } = await read(PETSTORE_TEXT);
  assert.is(operations.length, 19);
  const getPet = operations.find((o) => o.method === 'GET' && o.path === '/pet/{petId}')!;
  assert.equal(Object.keys(getPet.parts.parameters), ['path {1}']);
  assert.equal(Object.keys(getPet.parts.security), ['api_key'], 'the document-wide requirement applies');
  assert.equal(Object.keys(getPet.parts.responses), ['200', '404']);
  const put = operations.find((o) => o.method === 'PUT' && o.path === '/pet')!;
  assert.equal(Object.keys(put.parts.security), ['petstore_auth[read:pets write:pets]']);
  assert.equal(Object.keys(put.parts.requestBody), ['application/json', 'application/xml', 'required']);
  const order = operations.find((o) => o.method === 'POST' && o.path === '/store/order')!;
  assert.equal(order.parts.security, {}, 'security: [] means no authentication');
});

test('the same document twice, or reworded descriptions and examples: no operation changed', async () => {
  assert.equal(await diff(petstore(), petstore()), { status: 'compared', added: [], removed: [], changed: [] });
  const reworded = petstore();
  reworded.info.description = 'Now with more words.';
  reworded.paths['/pet'].put.summary = 'Replace a pet';
  reworded.components.schemas.Pet.properties.name.example = 'rex';
  reworded.components.schemas.Pet.properties.status.description = 'where the pet is';
  assert.equal(await diff(petstore(), reworded), { status: 'compared', added: [], removed: [], changed: [] });
});

test('a property named like a documentation keyword is payload, not documentation', async () => {
  const edited = petstore();
  delete edited.components.schemas.User.properties.description;
  const result = await diff(petstore(), edited);
  assert.equal(names(result.changed), ['POST /user', 'POST /user/createWithList', 'GET /user/{username}', 'PUT /user/{username}']);
});

test('added, removed and changed operations, each change saying which part and which element', async () => {
  const edited = petstore();
  delete edited.paths['/pet/{petId}'].delete;
  delete edited.paths['/store/inventory'];
  edited.paths['/pet/{petId}/photos'] = { get: { responses: { '200': { description: 'photos' } } } };
  edited.paths['/pet/findByStatus'].get.parameters[0].required = true;
  edited.paths['/pet/findByStatus'].get.parameters.push({ name: 'X-Trace', in: 'header', schema: { type: 'string' } });
  edited.paths['/user/login'].get.responses['429'] = { description: 'slow down' };
  delete edited.paths['/user/login'].get.responses['400'];
  edited.paths['/pet'].post.requestBody = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } };
  const result = await diff(petstore(), edited);
  assert.equal(names(result.added), ['GET /pet/{petId}/photos']);
  assert.equal(names(result.removed), ['DELETE /pet/{petId}', 'GET /store/inventory']);
  assert.equal(result.changed, [
    { method: 'POST', path: '/pet', changes: [{ aspect: 'requestBody', added: [], removed: ['application/xml', 'required'], changed: [] }] },
    { method: 'GET', path: '/pet/findByStatus', changes: [{ aspect: 'parameters', added: ['header x-trace'], removed: [], changed: ['query status (now required)'] }] },
    { method: 'GET', path: '/user/login', changes: [{ aspect: 'responses', added: ['429'], removed: ['400'], changed: [] }] },
  ]);
});

test('a changed $ref component is a change of every operation that uses it, and of no other', async () => {
  const edited = petstore();
  edited.components.schemas.ApiResponse.properties.code.type = 'string';
  const result = await diff(petstore(), edited);
  const expected = (await read(PETSTORE_TEXT)).operations
    // The operations answering an Error response (any code but 200 and default), and uploadImage's 200.
    .filter((o) => Object.keys(o.parts.responses).some((code) => code !== '200' && code !== 'default') || o.path === '/pet/{petId}/uploadImage');
  assert.is(result.changed.length, expected.length);
  assert.ok(result.changed.every((o) => o.changes.every((c) => c.aspect === 'responses')));
  assert.equal(result.changed.find((o) => o.path === '/user/login')!.changes, [{ aspect: 'responses', added: [], removed: [], changed: ['400'] }]);
  assert.equal(result.added, []);
  assert.equal(result.removed, []);
});

test('a recursive schema (Pet.parent is a Pet) is compared, and a change inside it is seen', async () => {
  const edited = petstore();
  edited.components.schemas.Pet.properties.tags.items = { type: 'string' };
  const result = await diff(petstore(), edited);
  assert.equal(names(result.changed), ['PUT /pet', 'POST /pet', 'GET /pet/findByStatus', 'GET /pet/findByTags', 'GET /pet/{petId}']);
});

test('security: a new scope, a scheme made optional, a changed scheme definition', async () => {
  const edited = petstore();
  edited.paths['/pet/{petId}'].delete.security = [{ petstore_auth: ['write:pets', 'admin:pets'] }];
  edited.paths['/pet/{petId}'].get.security = [{ api_key: [] }, {}];
  const result = await diff(petstore(), edited);
  assert.equal(result.changed, [
    { method: 'GET', path: '/pet/{petId}', changes: [{ aspect: 'security', added: ['anonymous'], removed: [], changed: [] }] },
    { method: 'DELETE', path: '/pet/{petId}', changes: [{ aspect: 'security', added: ['petstore_auth[admin:pets write:pets]'], removed: ['petstore_auth[write:pets]'], changed: [] }] },
  ]);
  const header = petstore();
  header.components.securitySchemes.api_key.name = 'X-API-Key';
  const changed = await diff(petstore(), header);
  assert.is(changed.changed.length, 4, 'the four operations that use api_key');
  assert.ok(changed.changed.every((o) => o.changes[0]!.aspect === 'security' && o.changes[0]!.changed[0] === 'api_key'));
});

test('renamed path parameters are the same operation (OpenAPI: such paths are identical)', async () => {
  const edited = petstore();
  edited.paths['/store/order/{id}'] = edited.paths['/store/order/{orderId}'];
  delete edited.paths['/store/order/{orderId}'];
  edited.paths['/store/order/{id}'].parameters[0].name = 'id';
  const result = await diff(petstore(), edited);
  assert.equal(result, { status: 'compared', added: [], removed: [], changed: [] });
  edited.paths['/store/order/{id}'].parameters[0].schema = { type: 'string' };
  const retyped = await diff(petstore(), edited);
  assert.equal(retyped.changed.map((o) => [o.method, o.path, o.livePath, o.changes[0]!.changed]), [
    ['GET', '/store/order/{id}', '/store/order/{orderId}', ['path {1}']],
    ['DELETE', '/store/order/{id}', '/store/order/{orderId}', ['path {1}']],
  ]);
});

test('300 operations: a shared component change reaches the 240 operations that use it; an added resource is 5 added', async () => {
  assert.is((await read(GENERATED_TEXT)).operations.length, 300);
  const edited = generated();
  edited.components.schemas.Audit.properties.createdBy = { type: 'integer' };
  edited.paths['/resource61'] = { get: { responses: { '200': { description: 'ok' } } }, post: { responses: { '201': { description: 'ok' } } } };
  delete edited.paths['/resource07/{id}'].delete;
  const result = await diff(generated(), edited);
  assert.is(result.changed.length, 240, 'list, create, get and replace of 60 resources; delete answers no resource');
  assert.equal(names(result.added), ['GET /resource61', 'POST /resource61']);
  assert.equal(names(result.removed), ['DELETE /resource07/{id}']);
  const problem = generated();
  problem.components.responses.Problem.content['application/problem+json'].schema.$ref = '#/components/schemas/Page';
  assert.is((await diff(generated(), problem)).changed.length, 300, 'every operation answers Problem by default');
});

test('a remote $ref is refused and never fetched; the problem names it', async () => {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests += 1;
    response.end('type: object');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/schemas/pet.yaml`;
    const edited = petstore();
    edited.components.schemas.Tag = { $ref: url };
    const description = await describeApi(JSON.stringify(edited));
    assert.is(description.status, 'unreadable');
    assert.match((description as { problem: string }).problem, `it refers outside itself ("${url}" at components.schemas.Tag)`);
    assert.match((description as { problem: string }).problem, 'remote and file references are never fetched');
    assert.is(requests, 0);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a $ref to another file is refused and not read, wherever the process runs', async () => {
  const dir = tempDir('openapi-ref-');
  writeFileSync(join(dir, 'pet.yaml'), 'type: object\n');
  const edited = petstore();
  edited.components.schemas.Tag = { $ref: './pet.yaml' };
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const description = await describeApi(JSON.stringify(edited));
    assert.equal(description.status, 'unreadable');
    assert.match((description as { problem: string }).problem, '"./pet.yaml" at components.schemas.Tag');
  } finally {
    process.chdir(cwd);
  }
});

test('unreadable documents say why: empty, not YAML, no version key, a dangling $ref', async () => {
  const problems = await Promise.all(['', '{ openapi: [', 'paths: {}\n', JSON.stringify({ ...petstore(), paths: { '/x': { get: { responses: { '200': { $ref: '#/components/responses/Nope' } } } } } })].map(describeApi));
  assert.equal(problems.map((p) => p.status), ['unreadable', 'unreadable', 'unreadable', 'unreadable']);
  const [empty, syntax, version, dangling] = problems.map((p) => (p as { problem: string }).problem);
  assert.is(empty, 'the document is empty');
  assert.match(syntax!, 'it is not valid YAML or JSON');
  assert.is(version, 'it has no "openapi" or "swagger" version key');
  assert.match(dangling!, 'a reference points at nothing in the document ("#/components/responses/Nope" at paths./x.get.responses.200)');
});

test('a live document that cannot be read is not compared, and the reason says which side', async () => {
  const good = await read(PETSTORE_TEXT);
  const bad = await describeApi('not: [valid');
  assert.equal(compareApis(bad, good).status, 'not-compared');
  assert.match((compareApis(bad, good) as { reason: string }).reason, /^the live OpenAPI document cannot be read: it is not valid YAML or JSON/);
  assert.match((compareApis(good, bad) as { reason: string }).reason, /^the OpenAPI document in Git cannot be read/);
});

test('Swagger 2.0: parameters, responses and securityDefinitions are read the same way', async () => {
  const swagger = (limitType: string) => ({
    swagger: '2.0',
    info: { title: 's', version: '1' },
    securityDefinitions: { key: { type: 'apiKey', name: 'k', in: 'header' } },
    security: [{ key: [] }],
    paths: { '/items': { get: { parameters: [{ name: 'limit', in: 'query', type: limitType }], responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Item' } } } } } },
    definitions: { Item: { type: 'object' } },
  });
  const { operations } = await read(swagger('integer'));
  assert.equal(Object.keys(operations[0]!.parts.security), ['key']);
  assert.equal((await diff(swagger('integer'), swagger('string'))).changed[0]!.changes, [{ aspect: 'parameters', added: [], removed: [], changed: ['query limit'] }]);
});

test('an element named __proto__ is an element like any other, not a prototype', async () => {
  const text = JSON.stringify(petstore()).replace('"application/octet-stream"', '"__proto__"');
  const upload = (await read(text)).operations.find((o) => o.path === '/pet/{petId}/uploadImage')!;
  assert.equal(Object.keys(upload.parts.requestBody), ['__proto__']);
  assert.is(Object.getPrototypeOf(upload.parts.requestBody), Object.prototype);
});

test.run();
