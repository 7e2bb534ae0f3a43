import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadProject } from '../../src/load/load-project.ts';
import { formatDiagnostic } from '../../src/model/diagnostic.ts';
import { fakeKinds } from './fake-provider.ts';

/**
 * One tiny project per defect under test/fixtures/invalid/<defect>/, and the exact output a user
 * sees for it: file:line:column, severity, rule id, message, fix. Written by hand, not recorded.
 */
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'invalid');

const expected: Record<string, string[]> = {
  'yaml-syntax-error': ['products/payments.yaml:3:1 error [yaml/syntax] Flow sequence in block collection must be sufficiently indented and end with a ]'],
  'duplicate-key': [
    'products/payments.yaml:4:1 error [yaml/duplicate-key] key "visibility" appears twice in the same mapping\n  fix: keep one of the two: YAML does not merge repeated keys',
  ],
  'unknown-field': ['products/payments.yaml:3:1 error [schema/additional-properties] unknown field "visiblity"\n  fix: did you mean "visibility"?'],
  'wrong-enum': ['products/payments.yaml:4:13 error [schema/enum] visibility must be one of public, logged-in, unlisted, private, internal'],
  'wrong-type': [
    'products/payments.yaml:2:12 error [schema/type] protected must be true or false, not a string',
    'products/payments.yaml:5:36 error [schema/type] plans[0].limits.perDay must be a whole number, not a string',
  ],
  'missing-required': ['products/payments.yaml:6:9 error [schema/required] targets.sandbox-api7.services[0] is missing required field "service"'],
  'invalid-name': [
    "products/payments.yaml:1:7 error [schema/pattern] name must be 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
  ],
  'invalid-auth': [
    'products/payments.yaml:4:5 error [schema/enum] auth[1] must be one of key-auth, basic-auth',
    'products/payments.yaml:5:12 error [schema/required] auth[2].oauth is missing required field "dcrProvider"',
    'products/payments.yaml:6:5 error [schema/one-of] auth[3] must be key-auth, basic-auth or {oauth: …}',
  ],
  'empty-plan-limits': [
    'products/payments.yaml:4:13 error [schema/min-properties] plans[0].limits must have at least 1 entry\n  fix: set at least one of perSecond, perMinute, perHour, perDay, perMonth, burst',
  ],
  'multiple-documents': ['products/commerce.yaml:6:9 error [schema/enum] access must be one of auto, approval, restricted'],
  'three-defects': [
    "products/payments.yaml:1:7 error [schema/pattern] name must be 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
    'products/payments.yaml:2:9 error [schema/enum] status must be one of draft, published',
    'products/payments.yaml:6:5 error [schema/additional-properties] unknown field "servics" in targets.sandbox-api7\n  fix: did you mean "services"?',
  ],
  'duplicate-name': [
    'products/payments-v2.yaml:2:7 error [product/duplicate-name] product "payments" is also defined at products/payments.yaml:1:7\n  fix: product names are identities on every target: rename one of them or remove the duplicate',
    'products/payments.yaml:1:7 error [product/duplicate-name] product "payments" is also defined at products/payments-v2.yaml:2:7\n  fix: product names are identities on every target: rename one of them or remove the duplicate',
  ],
  'unknown-target': [
    'products/payments.yaml:5:3 error [product/unknown-target] target "sandbox-apii7" is not defined in apiproducts.yaml\n  fix: did you mean "sandbox-api7"? (known targets: sandbox-api7)',
  ],
  'token-literal-in-description': [
    'products/payments.yaml:2:14 error [secret/literal] description contains what looks like an API7 token (a7ee-…); credentials must come from an environment variable named by tokenEnv\n  fix: remove the value and revoke it (it may already be in Git history); targets read credentials from the environment variable named by tokenEnv in apiproducts.yaml',
  ],
  'token-in-targets-file': [
    'apiproducts.yaml:6:15 error [secret/literal] targets.api7-prod.tokenEnv contains what looks like an API7 admin token (a7adm-…); tokenEnv must hold the NAME of an environment variable, not the credential\n  fix: remove the value, revoke it (it may already be in Git history), export it as e.g. API7_TOKEN and write tokenEnv: API7_TOKEN',
  ],
  'insecure-url': [
    'apiproducts.yaml:4:10 error [config/insecure-url] targets.api7-prod.url uses plain http:// to a host that is not loopback; credentials would travel unencrypted\n  fix: use https://, or set insecure: true on this target if the network is trusted',
  ],
  'target-without-url': [
    'apiproducts.yaml:2:3 error [config/missing-url] target "api7-prod" has no url and is not a sandbox\n  fix: set url to the root of the management API (e.g. https://api7.example.com:7443), or sandbox: true',
  ],
  'missing-config': [
    'error [config/missing] apiproducts.yaml not found\n  fix: run in the directory that holds apiproducts.yaml, or point at the file with --config FILE',
  ],
  'unsupported-provider': [
    'apiproducts.yaml:3:3 error [config/unknown-provider] target "sandbox-apigee" uses provider "apigee", which this version of apiproducts does not support\n  fix: use a supported provider, or remove the target until its provider is available',
  ],
  'binding-rejected-by-provider': ['products/payments.yaml:4:3 error [fake/visibility] visibility internal is not allowed on sandbox-api7'],
};

for (const [defect, lines] of Object.entries(expected)) {
  test(`invalid/${defect}`, () => {
    const project = loadProject({ cwd: join(fixtures, defect), kinds: fakeKinds });
    assert.equal(project.diagnostics.map(formatDiagnostic), lines);
  });
}

test('every fixture directory has an expectation, and every expectation a fixture', () => {
  const dirs = readdirSync(fixtures).sort();
  assert.equal(dirs, Object.keys(expected).sort());
  for (const dir of dirs) assert.ok(existsSync(join(fixtures, dir, 'products')), `${dir} has products/`);
});

test('the secret never appears in any output', () => {
  for (const defect of ['token-literal-in-description', 'token-in-targets-file']) {
    const text = loadProject({ cwd: join(fixtures, defect), kinds: fakeKinds }).diagnostics.map(formatDiagnostic).join('\n');
    assert.not.match(text, /a7(ee|adm)-[0-9a-f]{4}/);
  }
});

test.run();
