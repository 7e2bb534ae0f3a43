/** Bad policy settings are errors at their line; policies/*.yaml is read like policies: in apiproducts.yaml. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { getProviderKind } from '../../../src/registry.ts';
import { compileNamePattern } from '../../../src/validate/policies/safe-pattern.ts';
import { loadAndValidate } from '../../load/load-and-validate.ts';
import { tempProject } from '../../load/temp-project.ts';
import { productYaml, shown, TARGETS, validatePolicies } from './policy-project.ts';

const products = { orders: productYaml('orders', { extra: 'team: commerce' }) };

test('an unknown rule id is an error at its key, with the nearest id', () => {
  const [diagnostic, ...rest] = validatePolicies('policies:\n  require-teams: {severity: error}\n', products);
  assert.equal(rest, []);
  assert.equal(shown([diagnostic!]), ['apiproducts.yaml:5:3 error [schema/additional-properties] unknown field "require-teams" in policies']);
  assert.is(diagnostic!.fix, 'did you mean "require-team"?');
});

test('a missing or bad severity is an error at the rule', () => {
  assert.equal(shown(validatePolicies('policies:\n  require-team: {}\n', products)), ['apiproducts.yaml:5:17 error [schema/required] policies.require-team is missing required field "severity"']);
  const [bad] = validatePolicies('policies:\n  require-team: {severity: fatal}\n', products);
  assert.equal(shown([bad!]), ['apiproducts.yaml:5:28 error [schema/enum] policies.require-team.severity must be one of error, warning']);
});

test('an exemption without a reason, with a blank one, or of an unknown product is an error at its line', () => {
  const missing = 'policies:\n  require-team:\n    severity: error\n    exempt:\n      - product: orders\n';
  assert.equal(shown(validatePolicies(missing, products)), ['apiproducts.yaml:8:9 error [schema/required] policies.require-team.exempt[0] is missing required field "reason"']);
  const blank = `${missing}        reason: '  '\n`;
  assert.equal(shown(validatePolicies(blank, products)), ['apiproducts.yaml:9:17 error [schema/pattern] policies.require-team.exempt[0].reason is blank (only spaces): write something']);
  const unknown = 'policies:\n  require-team:\n    severity: error\n    exempt:\n      - {product: order, reason: legacy}\n';
  const [diagnostic, ...rest] = validatePolicies(unknown, products);
  assert.equal(rest, []);
  assert.equal(shown([diagnostic!]), ['apiproducts.yaml:8:19 error [policy/unknown-product] require-team.exempt names product "order", which no file under products/ defines']);
  assert.is(diagnostic!.fix, 'did you mean "orders"?');
});

test('the same product exempted twice is an error at the second', () => {
  const twice = 'policies:\n  require-team:\n    severity: error\n    exempt:\n      - {product: orders, reason: a}\n      - {product: orders, reason: b}\n';
  assert.equal(shown(validatePolicies(twice, products)), [
    'apiproducts.yaml:8:19 warning [policy/unused-exemption] product "orders" passes require-team: its exemption is no longer needed',
    'apiproducts.yaml:9:19 error [policy/duplicate-exemption] product "orders" is already exempted from require-team at apiproducts.yaml:8:19',
  ]);
});

test('a target list naming an unknown target is an error at that item', () => {
  const [diagnostic, ...rest] = validatePolicies('policies:\n  approval-in-production:\n    severity: error\n    targets: [sandbox-apigee, apigee-prod]\n', products);
  assert.equal(rest, []);
  assert.equal(shown([diagnostic!]), ['apiproducts.yaml:7:31 error [policy/unknown-target] approval-in-production.targets names "apigee-prod", which is not a target of apiproducts.yaml']);
  assert.equal(shown(validatePolicies('policies:\n  forbid-unbounded: {severity: error}\n', products)), ['apiproducts.yaml:5:21 error [schema/required] policies.forbid-unbounded is missing required field "targets"']);
});

test('a catastrophic or invalid name pattern is an error at the pattern, and the rule does not run', () => {
  const policy = (pattern: string) => `policies:\n  name-pattern:\n    severity: error\n    pattern: '${pattern}'\n`;
  for (const pattern of ['^(a+)+$', '^([a-z]|[a-z0-9])*$', '^(\\w+\\s?)*$']) {
    const [diagnostic, ...rest] = validatePolicies(policy(pattern), products);
    assert.equal(rest, [], pattern);
    assert.equal(`${diagnostic!.source!.line}:${diagnostic!.source!.column} ${diagnostic!.rule}`, '7:14 policy/unsafe-pattern', pattern);
    assert.match(diagnostic!.fix!, 'no nested quantifiers');
  }
  assert.equal(shown(validatePolicies(policy('^[a-z'), products)), ['apiproducts.yaml:7:14 error [policy/invalid-pattern] name-pattern.pattern is not a valid regular expression: /^[a-z/u: Unterminated character class']);
  assert.equal(validatePolicies(policy('^[a-z]+(-[a-z]+)*$'), products), []);
});

test('the pattern guard: separated repeats pass, nested and overlapping quantifiers are refused, named groups cannot be checked', () => {
  for (const safe of ['^[a-z][a-z0-9-]*$', '^[a-z]+(-[a-z]+)*$', '^(payments|orders)-v[0-9]+$', '^[a-z]{2,8}-(internal|partner)-[a-z0-9]+$']) {
    assert.ok('regex' in compileNamePattern(safe), safe);
  }
  for (const unsafe of ['^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '^(.*a){12}$', '^(?:[a-z0-9]+[._-]?)*[a-z0-9]$', '^(?<team>[a-z]+)-api$']) {
    const compiled = compileNamePattern(unsafe);
    assert.ok('problem' in compiled && compiled.problem === 'unsafe', unsafe);
  }
});

test('policies/*.yaml: rules there are checked like policies: in apiproducts.yaml, with their own file:line', () => {
  const files = {
    'policies/naming.yaml': "# yaml-language-server: $schema=../schemas/policies.schema.json\nname-pattern:\n  severity: error\n  pattern: '^[a-z]+$'\n",
    'policies/README.md': 'not read\n',
  };
  assert.equal(validatePolicies('', products, files), []);
  assert.equal(shown(validatePolicies('', { x: productYaml('orders-2', { extra: 'team: t' }) }, files)), [
    'products/x.yaml:1:1 error [policy/name-pattern] product name "orders-2" does not match the pattern "^[a-z]+$"',
  ]);
  const bad = { 'policies/team.yaml': 'require-team:\n  severity: error\n  exempt: [{product: orders}]\n' };
  assert.equal(shown(validatePolicies('', products, bad)), ['policies/team.yaml:3:12 error [schema/required] require-team.exempt[0] is missing required field "reason"']);
});

test('policies/: a rule switched on twice, an unknown rule, a stray file and several documents are errors', () => {
  const config = 'policies:\n  require-team: {severity: error}\n';
  const files = {
    'policies/a.yaml': 'require-team: {severity: warning}\npublic-requires-auth: {severity: error}\n',
    'policies/b.yml': 'public-requires-aut: {severity: error}\n',
    'policies/c.yaml.bak': 'require-team: {severity: error}\n',
    'policies/d.yaml': 'require-team: {severity: error}\n---\nname-pattern: {severity: error, pattern: x}\n',
  };
  assert.equal(shown(validatePolicies(config, products, files)), [
    'policies/a.yaml:1:1 error [policy/duplicate-rule] policy require-team is already switched on at apiproducts.yaml:5:3',
    'policies/b.yml:1:1 error [schema/additional-properties] unknown field "public-requires-aut"',
    'policies/c.yaml.bak:1:1 error [policies/unknown-file] this file is not a policy file; it was not read',
    'policies/d.yaml:1:1 error [policy/duplicate-rule] policy require-team is already switched on at apiproducts.yaml:5:3',
    'policies/d.yaml:3:1 error [policies/multiple-documents] a policy file holds one YAML document, found 2',
  ]);
});

test('a policy file that is a symbolic link is refused, not followed', () => {
  const outside = tempProject({ 'team.yaml': 'require-team: {severity: error}\n' });
  const cwd = tempProject({ 'apiproducts.yaml': TARGETS, 'products/c.yaml': productYaml('c'), 'policies/.keep': '' });
  symlinkSync(join(outside, 'team.yaml'), join(cwd, 'policies', 'team.yaml'));
  assert.equal(shown(loadAndValidate({ cwd, kinds: getProviderKind }).diagnostics), [
    'policies/team.yaml:1:1 error [policies/link] the policy file is a symbolic link, which is not followed; it was not read',
  ]);
});

test('a token pasted into a policy file is reported and never shown', () => {
  const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
  const files = { 'policies/team.yaml': `require-team:\n  severity: error\n  exempt: [{product: orders, reason: ${token}}]\n` };
  const diagnostics = validatePolicies('', products, files);
  assert.equal(diagnostics.map((d) => d.rule), ['secret/literal']);
  assert.not.match(JSON.stringify(diagnostics), token);
});

test.run();
