import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { LineCounter, parseDocument } from 'yaml';
import { createLocator } from '../../src/load/locator.ts';
import { formatDiagnostic } from '../../src/model/diagnostic.ts';
import { validateSchema, type SchemaName } from '../../src/validate/schema.ts';
import { editDistance, suggestNearest } from '../../src/validate/suggest.ts';

function check(schema: SchemaName, yaml: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter });
  return validateSchema(schema, doc.toJS(), createLocator(doc, lineCounter, 'f.yaml')).diagnostics.map(formatDiagnostic);
}

const target = 'targets:\n  t: {type: gateway}\n';

test('the input schemas are valid JSON Schema 2020-12 (validate compiles them without checking that, once per run)', () => {
  const ajv = new Ajv2020({ strict: true });
  ajv.addFormat('uri', /./);
  for (const name of ['product', 'targets', 'policies']) {
    const schema = JSON.parse(readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), 'utf8')) as object;
    assert.ok(ajv.validateSchema(schema), `${name}: ${ajv.errorsText(ajv.errors)}`);
  }
  assert.not.ok(ajv.validateSchema({ type: 'objekt' }), 'a schema the meta-schema refuses is refused');
});

test('a complete product in the DESIGN §3 shape is valid', () => {
  const product = `name: payments
displayName: Payments API
description: |
  Accept card payments.
status: published
visibility: public
access: approval
team: payments
labels: {tier: gold}
auth: [key-auth, basic-auth, {oauth: {dcrProvider: corp-idp}}]
plans:
  - name: free
    limits: {perSecond: 5, perDay: 1000, perMonth: 20000, burst: 10}
  - name: premium
    limits: {perSecond: 50, perMinute: 100, perHour: 1000, perDay: 100000}
protected: true
targets:
  api7-prod:
    type: gateway
    visibility: logged-in
    services:
      - {gatewayGroup: production, service: payments, hosts: [pay.example.com]}
  api7-docs:
    type: external
    openapi: ./specs/payments.yaml
    serverUrls: [https://pay.example.com/v1]
  apigee-prod:
    proxies: [payments-v1]
    environments: [prod]
    resources: [/charges/**, /refunds]
    scopes: [payments.read]
    unbounded: false
    plans: []
`;
  assert.equal(check('product', product), []);
});

test('a complete targets file in the DESIGN §4 shape is valid', () => {
  const config = `targets:
  api7-prod: {provider: api7, url: "https://api7.example.com:7443", portal: default, tokenEnv: API7_TOKEN}
  apigee-prod: {provider: apigee, flavour: x, url: "https://apigee.googleapis.com", org: acme, tokenEnv: APIGEE_TOKEN}
  apigee-edge: {provider: apigee, flavour: edge, url: "http://ms.internal:8080", org: acme, usernameEnv: EDGE_USER, passwordEnv: EDGE_PASSWORD, insecure: true}
  sandbox-api7: {provider: api7, sandbox: true}
prune: false
concurrency: 8
`;
  assert.equal(check('targets', config), []);
});

test('unknown fields point at the key and suggest the nearest allowed one, or list them', () => {
  assert.equal(check('product', `name: p\nvisiblity: public\n${target}`), ['f.yaml:2:1 error [schema/additional-properties] unknown field "visiblity"\n  fix: did you mean "visibility"?']);
  assert.equal(check('product', `name: p\ntargets:\n  t: {services: [{gatewayGroup: g, service: s, hsots: []}]}\n`), [
    'f.yaml:3:48 error [schema/additional-properties] unknown field "hsots" in targets.t.services[0]\n  fix: did you mean "hosts"?',
  ]);
  assert.equal(check('product', `name: p\nplans: [{name: a, limits: {perWeek: 1}}]\n${target}`), [
    'f.yaml:2:28 error [schema/additional-properties] unknown field "perWeek" in plans[0].limits\n  fix: allowed fields: perSecond, perMinute, perHour, perDay, perMonth, burst',
  ]);
});

test('a misspelt required field is one problem (the unknown field), not two', () => {
  assert.equal(check('product', `name: p\ntargets:\n  t:\n    services:\n      - {gatewayGroup: g, servce: s}\n`), [
    'f.yaml:5:27 error [schema/additional-properties] unknown field "servce" in targets.t.services[0]\n  fix: did you mean "service"?',
  ]);
});

test('enum values: listed, and the near miss suggested', () => {
  assert.equal(check('product', `name: p\naccess: aproval\n${target}`), [
    'f.yaml:2:9 error [schema/enum] access must be one of auto, approval, restricted\n  fix: did you mean "approval"?',
  ]);
});

test('limits: positive integers, at least one', () => {
  assert.equal(check('product', `name: p\nplans:\n  - name: a\n    limits: {perDay: 0, burst: 2.5}\n  - name: b\n${target}`), [
    'f.yaml:4:22 error [schema/minimum] plans[0].limits.perDay must be at least 1',
    'f.yaml:4:32 error [schema/type] plans[0].limits.burst must be a whole number, not a fractional number',
    'f.yaml:5:5 error [schema/required] plans[1] is missing required field "limits"',
  ]);
});

test('targets: at least one; required name; the document must be a mapping', () => {
  assert.equal(check('product', 'name: p\ntargets: {}\n'), [
    'f.yaml:2:10 error [schema/min-properties] targets must have at least 1 entry\n  fix: bind the product to at least one target of apiproducts.yaml, e.g. targets: {sandbox-api7: {type: gateway, services: [...]}}',
  ]);
  assert.equal(check('product', target), ['f.yaml:1:1 error [schema/required] missing required field "name"']);
  assert.equal(check('product', '- name: p\n'), [
    'f.yaml:1:1 error [schema/type] the document must be a mapping (key: value), not a list\n  fix: a product file is a mapping with name: and targets: at the top level (several products: separate them with ---, not with -)',
  ]);
});

test('targets file: env var names, provider, flavour, concurrency range, url format', () => {
  const config = `targets:
  a: {provider: api7, url: "https://x", tokenEnv: api7-token}
  b: {provider: kong, url: "not a url"}
  c: {provider: apigee, flavour: hybrid, sandbox: "true"}
concurrency: 65
`;
  assert.equal(check('targets', config), [
    'f.yaml:2:51 error [schema/pattern] targets.a.tokenEnv must be the NAME of an environment variable (upper-case letters, digits and _), such as API7_TOKEN\n  fix: put the credential in an environment variable and write only its name here',
    'f.yaml:3:17 error [schema/enum] targets.b.provider must be one of api7, apigee',
    'f.yaml:3:28 error [schema/format] targets.b.url must be an absolute URL such as https://example.com/path',
    // An Apigee target names its org; the schema says so, so editors do too.
    'f.yaml:4:6 error [schema/required] targets.c is missing required field "org"\n  fix: add org: … (Apigee: organization name.)',
    'f.yaml:4:34 error [schema/enum] targets.c.flavour must be one of edge, x',
    'f.yaml:4:51 error [schema/type] targets.c.sandbox must be true or false, not a string\n  fix: write true or false, without quotes',
    'f.yaml:5:14 error [schema/maximum] concurrency must be at most 64',
  ]);
});

test('an Apigee target without flavour: the schema requires it, and the fix names both values', () => {
  assert.equal(check('targets', 'targets:\n  c: {provider: apigee, sandbox: true, org: acme}\n'), [
    'f.yaml:2:6 error [schema/required] targets.c is missing required field "flavour"\n  fix: add flavour: edge or flavour: x (Apigee: edge (Apigee Edge / Private Cloud) or x (Apigee X / hybrid).)',
  ]);
});

test('suggestNearest: close typos only, transpositions count once, case ignored', () => {
  assert.is(editDistance('hsots', 'hosts'), 1);
  assert.is(suggestNearest('visiblity', ['status', 'visibility']), 'visibility');
  assert.is(suggestNearest('DisplayName', ['displayName']), 'displayName');
  assert.is(suggestNearest('colour', ['status', 'visibility']), undefined);
});

test('owner: in apiproducts.yaml is a product-style identifier; adoptFrom in a binding too, or empty for no owner', () => {
  const targets = 'targets:\n  a: {provider: api7, sandbox: true}\n';
  assert.equal(check('targets', `owner: team-a\n${targets}`), []);
  const [bad, ...rest] = check('targets', `owner: Team A\n${targets}`);
  assert.equal(rest, []);
  assert.match(bad!, /^f\.yaml:1:8 error \[schema\/pattern\]/);
  assert.equal(check('product', `name: x\ntargets:\n  t: {adoptFrom: team-b}\n`), []);
  assert.equal(check('product', `name: x\ntargets:\n  t: {adoptFrom: ''}\n`), []);
  assert.match(check('product', `name: x\ntargets:\n  t: {adoptFrom: Team B}\n`)[0]!, /^f\.yaml:3:18 error \[schema\/pattern\]/);
});

test.run();
