import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { seedApigeeState } from '../../src/sandbox/apigee/state.ts';
import { saveStateFile } from '../../src/sandbox/state-file.ts';
import { expectedDiagnostics } from '../fixtures/invalid-expected.ts';
import { repoRoot, runCli } from '../helpers/project.ts';

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

/** Defects the real API7 provider reports (the loader tests use a fake provider for these rules). */
const api7Expected: Record<string, string[]> = {
  'api7-visibility-internal': [
    'products/payments.yaml:3:13 error [api7/visibility] visibility "internal" is not available on API7 (public or logged-in)',
  ],
  'api7-auth-on-external': [
    'products/weather.yaml:4:7 error [api7/external-auth] auth is not available on an external product: the gateway does not proxy it\n  fix: remove auth for this target',
  ],
  'api7-openapi-missing': [
    'products/weather.yaml:7:14 error [api7/openapi-missing] OpenAPI file products/specs/nowhere.yaml does not exist\n  fix: fix the path: it is resolved relative to the product file',
  ],
};

/** Defects the Apigee provider reports. */
const apigeeExpected: Record<string, string[]> = {
  'apigee-logged-in-visibility': [
    'products/payments.yaml:3:13 error [apigee/visibility] visibility "logged-in" is not available on Apigee: its portals list a product to everyone (public) or to nobody (private, internal)\n  fix: set visibility to public, private or internal (in targets.sandbox-apigee to keep logged-in for other targets)',
  ],
  'apigee-no-proxies-no-resources': [
    'products/payments.yaml:6:5 error [apigee/unbounded] a product with no proxies and no resources grants its app keys access to every API in the organization\n  fix: list proxies: [<proxy>] or resources: [/path/**], or write unbounded: true if that is really intended',
  ],
  'apigee-bad-resource-path': [
    'products/payments.yaml:8:17 error [apigee/resource-path] resource path "/charges/**/refunds" is not valid: /** may only end a path',
    'products/payments.yaml:8:38 error [apigee/resource-path] resource path "charges" is not valid: it must start with /',
  ],
  'apigee-quota-per-second-only': [
    'products/payments.yaml:6:13 error [apigee/quota-unit] plan "burst-only" has no limit Apigee can count as a quota (per minute, hour, day or month); perSecond alone becomes an attribute for SpikeArrest\n  fix: add perMinute, perHour, perDay or perMonth to the plan',
  ],
};

/** Expectations that hold with the fake provider of the loader tests only. */
const FAKE_PROVIDER_ONLY = new Set(['binding-rejected-by-provider']);

function fixtureCases(): [string, string, string[], 'api7' | 'apigee'][] {
  const dir = (name: string) => join(repoRoot, 'test', 'fixtures', name);
  const cases = (name: string, expected: (defect: string) => string[], provider: 'api7' | 'apigee') =>
    readdirSync(dir(name)).map((defect): [string, string, string[], 'api7' | 'apigee'] => [defect, join(dir(name), defect), expected(defect), provider]);
  return [
    ...cases('invalid', (defect) => (FAKE_PROVIDER_ONLY.has(defect) ? [] : expectedDiagnostics[defect] ?? []), 'api7'),
    ...cases('invalid-api7', (defect) => api7Expected[defect] ?? [], 'api7'),
    ...cases('invalid-apigee', (defect) => apigeeExpected[defect] ?? [], 'apigee'),
  ];
}

/** A copy of the fixture whose sandbox already holds the seeded portal, so "nothing changed" is observable. */
function seededCopy(fixture: string, provider: 'api7' | 'apigee'): { cwd: string; stateFile: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'apiproducts-invalid-'));
  cpSync(fixture, cwd, { recursive: true });
  const stateFile = join(cwd, '.apiproducts', 'sandbox', `sandbox-${provider}.json`);
  saveStateFile(stateFile, provider === 'api7' ? seedApi7State() : seedApigeeState('sandbox'));
  return { cwd, stateFile };
}

for (const [defect, fixture, lines, provider] of fixtureCases()) {
  test(`invalid input ${defect}: validate, plan and apply exit 1 with the exact message, no stack, nothing changed`, async () => {
    assert.ok(lines.length > 0 || FAKE_PROVIDER_ONLY.has(defect), `${defect} has an expectation`);
    const { cwd, stateFile } = seededCopy(fixture, provider);
    const before = readFileSync(stateFile, 'utf8');
    for (const args of [['validate'], ['plan'], ['apply', '--auto-approve']]) {
      const result = await runCli(args, { cwd });
      assert.is(result.code, 1, `${args[0]}: ${result.stdout}${result.stderr}`);
      assert.not.match(result.stderr, STACK_FRAME);
      assert.match(result.stderr, /error \[[a-z0-9-]+\/[a-z0-9-]+\]/);
      for (const line of lines) assert.ok(result.stderr.includes(line), `${args[0]} stderr lacks:\n${line}\n---\n${result.stderr}`);
    }
    assert.is(readFileSync(stateFile, 'utf8'), before);
  });
}

test.run();
