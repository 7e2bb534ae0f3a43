import { tempDir } from '../helpers/temp.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../../src/model/diagnostic.ts';
import { api7 } from '../../src/providers/api7/index.ts';
import { apigee } from '../../src/providers/apigee/index.ts';
import { checkBindingKeys } from '../../src/validate/binding-keys.ts';
import { effective, exampleProduct, sandboxTarget, sourceFromText, TARGET } from './api7-fixtures.ts';

/** What validation reports for one API7 binding: its keys against the vendors' schema keys, then API7's rules. */
function check(yaml: string, file = 'products/x.yaml', absolutePath?: string): Diagnostic[] {
  const product = effective(sourceFromText(yaml, file, absolutePath));
  return [...checkBindingKeys(product, api7, [api7, apigee]), ...api7.validateBinding(product, sandboxTarget())];
}

const rules = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${d.severity} ${d.rule}`);

const GATEWAY = `targets:
  ${TARGET}:
    type: gateway
    services: [{gatewayGroup: production, service: payments}]
`;

test('every example product is valid for API7', () => {
  for (const name of ['identity', 'loyalty', 'orders', 'payments', 'weather']) {
    assert.equal(api7.validateBinding(exampleProduct(name), sandboxTarget()), [], name);
  }
});

test('visibility outside public|logged-in is an error at the top-level field', () => {
  const [diagnostic, ...rest] = check(`name: x\nvisibility: internal\n${GATEWAY}`);
  assert.equal(rest, []);
  assert.ok(diagnostic);
  assert.is(
    formatDiagnostic(diagnostic).split('\n')[0],
    'products/x.yaml:2:13 error [api7/visibility] visibility "internal" is not available on API7 (public or logged-in)',
  );
  assert.ok(diagnostic.fix);
  assert.is(diagnostic.product, 'x');
  assert.is(diagnostic.target, TARGET);
});

test('a value overridden in the binding is located in the binding', () => {
  const [diagnostic] = check(`name: x\nvisibility: public\n${GATEWAY}    visibility: unlisted\n`);
  assert.is(diagnostic?.rule, 'api7/visibility');
  assert.equal(diagnostic?.source, { file: 'products/x.yaml', line: 7, column: 17 });
});

test('restricted access requires logged-in', () => {
  assert.equal(rules(check(`name: x\naccess: restricted\nvisibility: public\n${GATEWAY}`)), ['error api7/restricted-access']);
  assert.equal(check(`name: x\naccess: restricted\nvisibility: logged-in\n${GATEWAY}`), []);
});

test('type is required', () => {
  assert.equal(rules(check(`name: x\ntargets:\n  ${TARGET}:\n    services: []\n`)), ['error api7/type']);
  assert.equal(rules(check(`name: x\ntargets:\n  ${TARGET}:\n    type: proxy\n`)), ['error api7/type']);
});

test('a gateway product needs a service and no external fields; plans only warn', () => {
  const diagnostics = check(`name: x
plans: [{name: free, limits: {perSecond: 5}}]
targets:
  ${TARGET}:
    type: gateway
    openapi: ./a.yaml
    serverUrls: [https://a]
`);
  assert.equal(rules(diagnostics), ['error api7/services', 'error api7/gateway-field', 'error api7/gateway-field', 'warning api7/plans-ignored']);
  assert.equal(rules(check(`name: x\ntargets:\n  ${TARGET}:\n    type: gateway\n    services:\n      - {gatewayGroup: a, service: b}\n      - {gatewayGroup: a, service: b}\n      - {service: c}\n`)),
    ['error api7/duplicate-service', 'error api7/service-entry']);
});

test('Apigee keys and unknown keys are refused in an API7 binding', () => {
  const diagnostics = check(`name: x\n${GATEWAY}    proxies: [a]\n    scopes: [b]\n    colour: red\n`);
  assert.equal(rules(diagnostics), ['error api7/apigee-only', 'error api7/apigee-only', 'error api7/unknown-key']);
  assert.match(diagnostics[0]!.message, /"proxies" is an Apigee setting/);
});

test('ownership labels are reserved', () => {
  assert.equal(rules(check(`name: x\nlabels: {managed-by: me}\n${GATEWAY}`)), ['error api7/reserved-label']);
  // Binding labels merge over common ones: each is located where it is written.
  const [inBinding] = check(`name: x\nlabels: {tier: gold}\n${GATEWAY}    labels: {apiproducts-name: y}\n`);
  assert.is(inBinding?.rule, 'api7/reserved-label');
  assert.is(inBinding?.source?.line, 7);
});

test('the owner and protection labels of the marker are reserved (issue 19)', () => {
  const diagnostics = check(`name: x\nlabels: {apiproducts-owner: team-a, apiproducts-protected: 'false'}\n${GATEWAY}`);
  assert.equal(rules(diagnostics), ['error api7/reserved-label', 'error api7/reserved-label']);
  assert.match(diagnostics[0]!.message, 'label "apiproducts-owner" is reserved: apiproducts writes the owner: of apiproducts.yaml into it');
  assert.match(diagnostics[1]!.message, 'write protected: true on the product instead');
});

test('the apply-lock label and name prefix are reserved: such a product would be hidden from every plan', () => {
  assert.equal(rules(check(`name: x\nlabels: {apiproducts-lock: v1}\n${GATEWAY}`)), ['error api7/reserved-label']);
  const [named, ...rest] = check(`name: x\n${GATEWAY}    displayName: apiproducts.lock.beef\n`);
  assert.equal(rest, []);
  assert.is(named?.rule, 'api7/reserved-name');
  assert.is(named?.source?.line, 6);
});

test('a displayName over 100 characters and an empty label value are refused offline, as the Admin API would (reference Round 2)', () => {
  const long = 'Ä'.repeat(101);
  const [tooLong, ...others] = check(`name: x\ndisplayName: ${long}\n${GATEWAY}`);
  assert.equal(others, []);
  assert.is(tooLong?.rule, 'api7/name-too-long');
  assert.match(tooLong!.message, 'displayName is 101 characters; API7 product names are at most 100');
  assert.is(tooLong?.source?.line, 2);
  assert.equal(check(`name: x\ndisplayName: ${'Ä'.repeat(100)}\n${GATEWAY}`), [], '100 characters (200 bytes) is fine');
  const [empty] = check(`name: x\nlabels: {tier: ''}\n${GATEWAY}`);
  assert.is(empty?.rule, 'api7/empty-label');
  assert.match(empty!.message, 'label "tier" has an empty value; API7 refuses empty label values');
  assert.is(empty?.source?.line, 2);
});

test('an external product refuses auth and plans and needs openapi and serverUrls', () => {
  const diagnostics = check(`name: x
auth: [key-auth]
plans: [{name: free, limits: {perDay: 5}}]
targets:
  ${TARGET}:
    type: external
`);
  assert.equal(rules(diagnostics), ['error api7/external-auth', 'error api7/external-plans', 'error api7/server-urls', 'error api7/openapi-required']);
  assert.match(diagnostics[0]!.message, /gateway does not proxy it/);
  assert.is(diagnostics[0]!.source?.line, 2);
});

test('a missing OpenAPI file is named by its path resolved against the product file', () => {
  const [diagnostic, ...rest] = check(`name: x\ntargets:\n  ${TARGET}:\n    type: external\n    serverUrls: [https://a]\n    openapi: ./specs/nope.yaml\n`);
  assert.equal(rest, []);
  assert.is(diagnostic?.rule, 'api7/openapi-missing');
  assert.match(diagnostic!.message, 'products/specs/nope.yaml');
  assert.equal(diagnostic?.source, { file: 'products/x.yaml', line: 6, column: 14 });
});

test('an OpenAPI file must parse and carry an openapi or swagger key', () => {
  const dir = tempDir('apiproducts-api7-');
  writeFileSync(path.join(dir, 'broken.yaml'), 'openapi: [3.0\n  paths: {');
  writeFileSync(path.join(dir, 'plain.yaml'), 'title: not a spec\n');
  writeFileSync(path.join(dir, 'swagger.json'), '{"swagger": "2.0", "paths": {}}');
  const product = (spec: string): string => `name: x\ntargets:\n  ${TARGET}:\n    type: external\n    serverUrls: [https://a]\n    openapi: ${spec}\n`;
  const inDir = (spec: string): Diagnostic[] => check(product(spec), 'products/x.yaml', path.join(dir, 'x.yaml'));
  assert.equal(rules(inDir('broken.yaml')), ['error api7/openapi-invalid']);
  assert.equal(rules(inDir('plain.yaml')), ['error api7/openapi-invalid']);
  assert.equal(inDir('swagger.json'), []);
});

test('OpenAPI files in JSON, plain YAML and YAML with anchors are all read (fast path or full parser)', () => {
  const dir = tempDir('apiproducts-api7-');
  writeFileSync(path.join(dir, 'pretty.json'), JSON.stringify({ openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: {} }, null, 2));
  writeFileSync(path.join(dir, 'anchors.yaml'), 'openapi: 3.0.3\ninfo: &info {title: x, version: "1"}\nx-copy: *info\npaths: {}\n');
  writeFileSync(path.join(dir, 'broken.json'), '{"openapi": "3.0.3",\n  "paths": {\n');
  writeFileSync(path.join(dir, 'not-spec.json'), '[1, 2]');
  const product = (spec: string): string => `name: x\ntargets:\n  ${TARGET}:\n    type: external\n    serverUrls: [https://a]\n    openapi: ${spec}\n`;
  const inDir = (spec: string): Diagnostic[] => check(product(spec), 'products/x.yaml', path.join(dir, 'x.yaml'));
  assert.equal(inDir('pretty.json'), []);
  assert.equal(inDir('anchors.yaml'), []);
  const [broken] = inDir('broken.json');
  assert.is(broken?.rule, 'api7/openapi-invalid');
  assert.match(broken!.message, /line \d+, column \d+/);
  assert.equal(rules(inDir('not-spec.json')), ['error api7/openapi-invalid']);
});

test('targets: sandbox needs nothing; a real target needs url and the NAME of a token variable', () => {
  assert.equal(api7.validateTarget(sandboxTarget()), []);
  const real = { ...sandboxTarget(), sandbox: false, url: 'https://api7.example.com:7443', settings: { provider: 'api7', url: 'https://x' } };
  assert.equal(rules(api7.validateTarget(real)), ['error api7/token-env']);
  const pasted = { ...real, settings: { ...real.settings, tokenEnv: 'a7ee-SENTINEL-not-a-name!' } };
  const [diagnostic] = api7.validateTarget(pasted);
  assert.is(diagnostic?.rule, 'api7/token-env');
  assert.not.match(formatDiagnostic(diagnostic!), 'SENTINEL');
  assert.equal(api7.validateTarget({ ...real, settings: { ...real.settings, tokenEnv: 'API7_TOKEN' } }), []);
  assert.equal(rules(api7.validateTarget(sandboxTarget({ org: 'acme' }))), ['warning api7/unknown-setting']);
  assert.equal(rules(api7.validateTarget(sandboxTarget({ portal: 3 }))), ['error api7/portal']);
});

test('identity: sandboxes report sandbox://<name>; the portal defaults to default', () => {
  assert.equal(api7.identify(sandboxTarget({ portal: undefined })), { url: `sandbox://${TARGET}`, portal: 'default' });
  const real = { ...sandboxTarget({ portal: 'partners' }), sandbox: false, url: 'https://api7.example.com:7443' };
  assert.equal(api7.identify(real), { url: 'https://api7.example.com:7443', portal: 'partners' });
});

test.run();
