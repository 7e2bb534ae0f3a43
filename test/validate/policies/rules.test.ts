/** Each rule of the catalogue over real files: passing, failing at the offending key, exempted. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { productYaml, shown, validatePolicies } from './policy-project.ts';

const exempt = (product: string) => `    exempt:\n      - product: ${product}\n        reason: agreed with security, until 2027-06 (SEC-42)\n`;

test('public-requires-auth: public with auth passes; public without auth fails at visibility; exempted passes', () => {
  const policy = 'policies:\n  public-requires-auth:\n    severity: error\n';
  const withAuth = productYaml('open', { extra: 'visibility: public\nauth: [key-auth]' });
  const loggedIn = productYaml('closed');
  assert.equal(validatePolicies(policy, { open: withAuth, closed: loggedIn }), []);

  const bare = productYaml('bare', { extra: 'visibility: public' });
  assert.equal(shown(validatePolicies(policy, { bare })), [
    'products/bare.yaml:2:1 error [policy/public-requires-auth] product "bare" is public on target sandbox-api7 but declares no auth',
  ]);
  assert.equal(validatePolicies(policy + exempt('bare'), { bare }), []);
});

test('public-requires-auth: bindings whose provider does not protect a product by auth: pass (Apigee, API7 external)', () => {
  const policy = 'policies:\n  public-requires-auth: {severity: error}\n';
  // Apigee: the proxies check app keys; `auth:` protects nothing there.
  assert.equal(validatePolicies(policy, { a: productYaml('a', { apigee: '    visibility: public' }) }), []);
  // API7 external: the documented API is not behind the gateway.
  const external = ['name: b', 'visibility: public', 'targets:', '  sandbox-api7:', '    type: external', '    openapi: ./b.json', '    serverUrls: [https://b.example.com]', ''].join('\n');
  const spec = JSON.stringify({ openapi: '3.0.3', info: { title: 'b', version: '1' }, paths: {} });
  assert.equal(validatePolicies(policy, { b: external }, { 'products/b.json': spec }), []);
});

test('public-requires-auth: a binding that overrides visibility is reported at its own key, on its target only', () => {
  const policy = 'policies:\n  public-requires-auth: {severity: warning}\n';
  const product = productYaml('partly', { api7: '    visibility: public' });
  const [diagnostic, ...rest] = validatePolicies(policy, { partly: product });
  assert.equal(rest, []);
  assert.equal(shown([diagnostic!]), ['products/partly.yaml:6:5 warning [policy/public-requires-auth] product "partly" is public on target sandbox-api7 but declares no auth']);
  assert.is(diagnostic!.product, 'partly');
  assert.is(diagnostic!.target, 'sandbox-api7');
  assert.match(diagnostic!.fix!, 'auth: [key-auth]');
  assert.match(diagnostic!.fix!, 'public-requires-auth.exempt');
  // `targets:` narrows the rule: public on API7 only, checked on Apigee only → nothing to say.
  assert.equal(validatePolicies('policies:\n  public-requires-auth: {severity: error, targets: [sandbox-apigee]}\n', { partly: product }), []);
});

test('require-team: team: or a team label passes; neither fails at name:; a configured label must be set', () => {
  const policy = 'policies:\n  require-team:\n    severity: error\n';
  const byField = productYaml('a', { extra: 'team: payments' });
  const byLabel = productYaml('b', { extra: 'labels: {team: payments}' });
  assert.equal(validatePolicies(policy, { a: byField, b: byLabel }), []);
  assert.equal(shown(validatePolicies(policy, { c: productYaml('c') })), ['products/c.yaml:1:1 error [policy/require-team] product "c" names no team (team: or a team label)']);
  assert.equal(validatePolicies(policy + exempt('c'), { c: productYaml('c') }), []);

  const owner = 'policies:\n  require-team:\n    severity: error\n    label: owner\n';
  assert.equal(shown(validatePolicies(owner, { a: byField })), ['products/a.yaml:1:1 error [policy/require-team] product "a" names no "owner" label']);
  // Set in one binding only: the other target lacks it, reported at labels:.
  const oneBinding = productYaml('d', { extra: 'labels: {tier: gold}', api7: '    labels: {owner: payments}' });
  assert.equal(shown(validatePolicies(owner, { d: oneBinding })), ['products/d.yaml:2:1 error [policy/require-team] product "d" names no "owner" label on target sandbox-apigee']);
  assert.equal(validatePolicies(owner, { e: productYaml('e', { extra: 'labels: {owner: payments}' }) }), []);
});

test('approval-in-production: approval (also by default) and restricted pass; auto fails at the access key', () => {
  const policy = 'policies:\n  approval-in-production:\n    severity: error\n    targets: [sandbox-apigee]\n';
  const byDefault = productYaml('a');
  const restricted = productYaml('b', { extra: 'access: restricted', apigee: '    visibility: private' });
  const autoInSandboxOnly = productYaml('c', { api7: '    access: auto' });
  assert.equal(validatePolicies(policy, { a: byDefault, b: restricted, c: autoInSandboxOnly }), []);

  const autoEverywhere = productYaml('d', { extra: 'access: auto' });
  assert.equal(shown(validatePolicies(policy, { d: autoEverywhere })), ['products/d.yaml:2:1 error [policy/approval-in-production] product "d" is auto-approved on production target sandbox-apigee']);
  const autoInProduction = productYaml('e', { apigee: '    access: auto' });
  const [diagnostic] = validatePolicies(policy, { e: autoInProduction });
  assert.equal(shown([diagnostic!]), ['products/e.yaml:8:5 error [policy/approval-in-production] product "e" is auto-approved on production target sandbox-apigee']);
  assert.is(diagnostic!.target, 'sandbox-apigee');
  assert.equal(validatePolicies(policy + exempt('e'), { e: autoInProduction }), []);
});

test('name-pattern: matching names pass; another fails at name:; exempted passes', () => {
  const policy = "policies:\n  name-pattern:\n    severity: warning\n    pattern: '^[a-z]+(-[a-z]+)*$'\n";
  assert.equal(validatePolicies(policy, { a: productYaml('orders'), b: productYaml('order-history') }), []);
  const [diagnostic, ...rest] = validatePolicies(policy, { x: productYaml('orders2') });
  assert.equal(rest, []);
  assert.equal(shown([diagnostic!]), ['products/x.yaml:1:1 warning [policy/name-pattern] product name "orders2" does not match the pattern "^[a-z]+(-[a-z]+)*$"']);
  assert.is(diagnostic!.product, 'orders2');
  assert.equal(validatePolicies(policy + exempt('orders2'), { x: productYaml('orders2') }), []);
});

test('forbid-unbounded: only on the listed targets, at the unbounded key; exempted passes', () => {
  const policy = 'policies:\n  forbid-unbounded:\n    severity: error\n    targets: [sandbox-apigee]\n';
  const bounded = productYaml('a');
  assert.equal(validatePolicies(policy, { a: bounded }), []);
  const unbounded = productYaml('b', { apigee: '    unbounded: true' }).replace('    proxies: [b-v1]\n', '');
  assert.equal(validatePolicies('', { b: unbounded }), [], 'unbounded: true is valid without the policy');
  const [diagnostic, ...rest] = validatePolicies(policy, { b: unbounded });
  assert.equal(rest, []);
  assert.equal(shown([diagnostic!]), ['products/b.yaml:7:5 error [policy/forbid-unbounded] product "b" is unbounded on target sandbox-apigee, which forbids it: it grants access to every API there']);
  assert.is(diagnostic!.target, 'sandbox-apigee');
  assert.equal(validatePolicies(policy + exempt('b'), { b: unbounded }), []);
});

test('an exemption a product no longer needs is a warning at its product: line', () => {
  const policy = 'policies:\n  require-team:\n    severity: error\n' + exempt('a');
  assert.equal(shown(validatePolicies(policy, { a: productYaml('a', { extra: 'team: payments' }) })), [
    'apiproducts.yaml:8:18 warning [policy/unused-exemption] product "a" passes require-team: its exemption is no longer needed',
  ]);
});

test('several rules at once: every finding is reported, each at its own line, sorted by file', () => {
  const policy = "policies:\n  require-team: {severity: warning}\n  name-pattern: {severity: error, pattern: '^[a-z]+$'}\n  public-requires-auth: {severity: error}\n";
  const product = productYaml('bad1', { extra: 'visibility: public' });
  assert.equal(shown(validatePolicies(policy, { bad: product })), [
    'products/bad.yaml:1:1 warning [policy/require-team] product "bad1" names no team (team: or a team label)',
    'products/bad.yaml:1:1 error [policy/name-pattern] product name "bad1" does not match the pattern "^[a-z]+$"',
    'products/bad.yaml:2:1 error [policy/public-requires-auth] product "bad1" is public on target sandbox-api7 but declares no auth',
  ]);
});

test.run();
