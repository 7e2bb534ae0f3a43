import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostic, type Diagnostic } from '../../src/model/diagnostic.ts';
import type { TargetConfig } from '../../src/model/target.ts';
import { api7 } from '../../src/providers/api7/index.ts';
import { apigee } from '../../src/providers/apigee/index.ts';
import { checkBindingKeys } from '../../src/validate/binding-keys.ts';
import { resourcePathProblem } from '../../src/providers/apigee/validate-binding.ts';
import { apigeeProduct, apigeeTarget, EXAMPLES, productFromText, TARGET } from './apigee-fixtures.ts';

/** What validation reports for one Apigee binding: its keys against the vendors' schema keys, then Apigee's rules. */
function check(yaml: string): Diagnostic[] {
  const product = productFromText(yaml);
  return [...checkBindingKeys(product, apigee, [api7, apigee]), ...apigee.validateBinding(product, apigeeTarget())];
}

const rules = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${d.severity} ${d.rule}`);
const BOUND = `targets:\n  ${TARGET}:\n    proxies: [p]\n`;

test('every example with its Apigee binding is valid, without warnings', () => {
  for (const name of EXAMPLES) assert.equal(apigee.validateBinding(apigeeProduct(name), apigeeTarget()), [], name);
});

test('logged-in is refused with a fix, located where it is written', () => {
  const [diagnostic, ...rest] = check(`name: x\nvisibility: logged-in\n${BOUND}`);
  assert.equal(rest, []);
  assert.is(
    formatDiagnostic(diagnostic!),
    'products/x.yaml:2:13 error [apigee/visibility] visibility "logged-in" is not available on Apigee: its portals list a product to everyone (public) or to nobody (private, internal)\n' +
      `  fix: set visibility to public, private or internal (in targets.${TARGET} to keep logged-in for other targets)`,
  );
  assert.is(diagnostic!.product, 'x');
  assert.is(diagnostic!.target, TARGET);
  const [overridden] = check(`name: x\nvisibility: public\n${BOUND}    visibility: logged-in\n`);
  assert.equal(overridden?.source, { file: 'products/x.yaml', line: 6, column: 17 });
  assert.equal(check(`name: x\nvisibility: logged-in\n${BOUND}    visibility: unlisted\n`), []);
});

test('a catalog item title or description that its defaults make too long is refused offline (the ApiDoc limits: 255, 10,000)', () => {
  const long = 'P'.repeat(250);
  const portal = `    portal:\n      site: acme-portal\n`;
  const check = (yaml: string) => apigee.validateBinding(productFromText(yaml), apigeeTarget('x'));
  // 250 characters fit; with " (premium)" per plan they do not.
  assert.equal(check(`name: x\ndisplayName: ${long}\n${BOUND}${portal}`), []);
  const [title, ...others] = check(`name: x\ndisplayName: ${long}\nplans: [{name: premium, limits: {perDay: 5}}]\n${BOUND}${portal}`);
  assert.equal(others, []);
  assert.is(title?.rule, 'apigee/portal-title');
  assert.match(title!.message, 'the catalog item of x-premium would be titled with 260 characters; an integrated portal\'s catalog item title holds at most 255');
  assert.is(title?.source?.line, 8);
  assert.equal(check(`name: x\ndisplayName: ${long}\nplans: [{name: premium, limits: {perDay: 5}}]\n${BOUND}${portal}      title: Premium\n`), [], 'an explicit title is its own');
  const [description] = check(`name: x\ndescription: ${'d'.repeat(10_001)}\n${BOUND}${portal}`);
  assert.is(description?.rule, 'apigee/portal-description');
});

test('API7 keys are refused in an Apigee binding', () => {
  const diagnostics = check(`name: x\n${BOUND}    type: gateway\n    services: [{gatewayGroup: a, service: b}]\n    openapi: ./a.yaml\n    serverUrls: [https://a]\n`);
  assert.equal(rules(diagnostics), ['error apigee/api7-only', 'error apigee/api7-only', 'error apigee/api7-only', 'error apigee/api7-only']);
  assert.is(diagnostics[0]!.message, '"type" is an API7 setting; Apigee products do not have it');
  assert.equal(diagnostics[0]!.source, { file: 'products/x.yaml', line: 5, column: 11 });
  assert.ok(diagnostics.every((d) => d.fix));
});

test('no proxies and no resources is an error unless unbounded: true', () => {
  const diagnostics = check(`name: x\ntargets:\n  ${TARGET}:\n    environments: [prod]\n`);
  assert.equal(rules(diagnostics), ['error apigee/unbounded']);
  assert.match(diagnostics[0]!.message, 'every API in the organization');
  assert.match(diagnostics[0]!.fix!, 'unbounded: true');
  assert.equal(check(`name: x\ntargets:\n  ${TARGET}: {unbounded: true}\n`), []);
  assert.equal(check(`name: x\ntargets:\n  ${TARGET}: {resources: [/a]}\n`), []);
});

test('resource paths: /, /*, /** and literal paths', () => {
  for (const path of ['/', '/*', '/**', '/charges/**', '/refunds', '/a/*/b', '/v1/orders/*']) {
    assert.is(resourcePathProblem(path), undefined, path);
  }
  for (const path of ['charges', '/a/**/b', '/a*', '/a//b', '/a?x=1', '/a/', '/a b']) {
    assert.type(resourcePathProblem(path), 'string', path);
  }
  const diagnostics = check(`name: x\ntargets:\n  ${TARGET}:\n    resources: [/ok/**, charges, /a/**/b]\n`);
  assert.equal(rules(diagnostics), ['error apigee/resource-path', 'error apigee/resource-path']);
  assert.is(diagnostics[0]!.message, 'resource path "charges" is not valid: it must start with /');
  assert.equal(diagnostics[1]!.source, { file: 'products/x.yaml', line: 4, column: 34 });
});

test('a plan needs a limit Apigee can count as quota; plan names are unique', () => {
  const diagnostics = check(`name: x
plans:
  - {name: fast, limits: {perSecond: 5}}
  - {name: spiky, limits: {burst: 5}}
  - {name: fine, limits: {perSecond: 5, perMinute: 100}}
  - {name: fine, limits: {perDay: 5}}
${BOUND}`);
  assert.equal(rules(diagnostics), ['error apigee/quota-unit', 'error apigee/quota-unit', 'error apigee/duplicate-plan']);
  assert.match(diagnostics[0]!.message, 'plan "fast" has no limit Apigee can count as a quota (per minute, hour, day or month); perSecond alone');
  assert.equal(diagnostics[0]!.source, { file: 'products/x.yaml', line: 3, column: 26 });
  assert.match(diagnostics[2]!.message, 'both would be the Apigee product x-fine');
});

test('at most 18 attributes per Apigee product, counting team, limits, access and ownership', () => {
  const labels = (n: number) => `labels: {${Array.from({ length: n }, (_, i) => `l${i}: v`).join(', ')}}`;
  // 13 labels + team + access + 3 ownership = 18.
  assert.equal(check(`name: x\nteam: t\n${labels(13)}\n${BOUND}`), []);
  const diagnostics = check(`name: x\nteam: t\n${labels(13)}\nplans: [{name: a, limits: {perDay: 1, perSecond: 1}}, {name: b, limits: {perDay: 1}}]\n${BOUND}`);
  assert.equal(rules(diagnostics), ['error apigee/attribute-count']);
  assert.match(diagnostics[0]!.message, /^x-a would carry 19 attributes; Apigee allows at most 18/);
  assert.equal(diagnostics[0]!.source?.line, 3);
});

test('the owner and protection attributes of the marker are reserved, and counted only when written (issue 19)', () => {
  const reserved = check(`name: x\nlabels: {apiproducts-owner: team-a, apiproducts-protected: 'true'}\n${BOUND}`);
  assert.equal(rules(reserved), Array(2).fill('error apigee/reserved-attribute'));
  const labels = `labels: {${Array.from({ length: 13 }, (_, i) => `l${i}: v`).join(', ')}}`;
  // 13 labels + team + access + 3 ownership = 18; protected adds apiproducts-protected, an owner apiproducts-owner.
  const protectedOne = check(`name: x\nteam: t\nprotected: true\n${labels}\n${BOUND}`);
  assert.equal(rules(protectedOne), ['error apigee/attribute-count']);
  assert.match(protectedOne[0]!.message, /^x would carry 19 attributes; Apigee allows at most 18 \(labels, team, the plan's other limits, access and 4 ownership attributes\)/);
  const owned = apigee.validateBinding(productFromText(`name: x\nteam: t\n${labels}\n${BOUND}`), { ...apigeeTarget(), owner: 'team-a' });
  assert.equal(rules(owned), ['error apigee/attribute-count']);
});

test('labels may not take the names of attributes apiproducts writes (a label team next to team: is a neutral error)', () => {
  const diagnostics = check(`name: x\nteam: t\nlabels: {access: public, managed-by: me, quota-perDay: '5', tier: gold}\n${BOUND}    labels: {apiproducts-name: y}\n`);
  assert.equal(rules(diagnostics), Array(4).fill('error apigee/reserved-attribute'));
  assert.equal(diagnostics[3]!.source, { file: 'products/x.yaml', line: 7, column: 32 });
});

test('adopt is an Apigee binding key: every object of the product takes over its unowned namesake', () => {
  const text = `name: x\nplans: [{name: a, limits: {perDay: 1}}, {name: b, limits: {perDay: 2}}]\n${BOUND}    adopt: true\n`;
  assert.equal(check(text), []);
  assert.equal(apigee.toDesired(productFromText(text), apigeeTarget()).map((o) => [o.key, o.adopt]), [['x-a', true], ['x-b', true]]);
});

test('auth shared with an API7 binding is accepted silently: proxies enforce keys on Apigee', () => {
  assert.equal(check(`name: x\nauth: [key-auth]\n${BOUND}`), []);
});

function target(flavour: unknown, settings: Record<string, unknown>, sandbox = false): TargetConfig {
  const base = apigeeTarget('edge', { flavour, ...settings });
  return { ...base, sandbox, url: sandbox ? undefined : 'https://api.enterprise.apigee.com', settings: { ...base.settings, sandbox } };
}
const targetRules = (t: TargetConfig): string[] => apigee.validateTarget(t).map((d) => `${d.severity} ${d.rule}`);

test('validateTarget: credentials each flavour accepts', () => {
  assert.equal(targetRules(target('edge', { tokenEnv: 'APIGEE_TOKEN' })), []);
  assert.equal(targetRules(target('edge', { usernameEnv: 'APIGEE_USER', passwordEnv: 'APIGEE_PASSWORD' })), []);
  assert.equal(targetRules(target('x', { tokenEnv: 'APIGEE_TOKEN' })), []);
  assert.equal(targetRules(target('edge', { usernameEnv: 'APIGEE_USER' })), ['error apigee/credentials']);
  assert.equal(targetRules(target('edge', { tokenEnv: 'T', usernameEnv: 'U', passwordEnv: 'P' })), ['error apigee/credentials']);
  assert.equal(targetRules(target('edge', {})), ['error apigee/credentials']);
  // X without tokenEnv uses Application Default Credentials: only the Basic settings are wrong.
  assert.equal(targetRules(target('x', { usernameEnv: 'U', passwordEnv: 'P' })), ['error apigee/credentials']);
  const [basicOnX] = apigee.validateTarget(target('x', { tokenEnv: 'T', usernameEnv: 'U', passwordEnv: 'P' }));
  assert.match(basicOnX!.message, 'Apigee X accepts only Google OAuth tokens');
  // A pasted credential is refused without being echoed.
  const pasted = apigee.validateTarget(target('edge', { tokenEnv: 'ya29.SENTINEL-secret' }));
  assert.equal(pasted.map((d) => d.rule), ['apigee/credential-env']);
  assert.not.match(JSON.stringify(pasted), 'SENTINEL');
});

test('validateTarget: org and flavour are required; a sandbox needs no credentials or url', () => {
  assert.equal(targetRules(target('x', {}, true)), []);
  assert.equal(targetRules(target(undefined, { org: undefined }, true)), ['error apigee/org', 'error apigee/flavour']);
  assert.equal(targetRules(target('opdk', {}, true)), ['error apigee/flavour']);
  const noUrl = { ...target('x', { tokenEnv: 'T' }), url: undefined };
  assert.equal(targetRules(noUrl), ['error apigee/url']);
  assert.equal(targetRules(target('x', { portal: 'default' }, true)), ['warning apigee/unknown-setting']);
  assert.equal(targetRules(target('x', { ignore: ['description'] }, true)), []);
});

test.run();
