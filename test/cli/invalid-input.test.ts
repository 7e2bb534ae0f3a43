import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
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

/** Expectations that hold with the fake provider of the loader tests only. */
const FAKE_PROVIDER_ONLY = new Set(['binding-rejected-by-provider']);

function fixtureCases(): [string, string, string[]][] {
  const invalid = join(repoRoot, 'test', 'fixtures', 'invalid');
  const api7 = join(repoRoot, 'test', 'fixtures', 'invalid-api7');
  return [
    ...readdirSync(invalid).map((defect): [string, string, string[]] => [defect, join(invalid, defect), FAKE_PROVIDER_ONLY.has(defect) ? [] : expectedDiagnostics[defect] ?? []]),
    ...readdirSync(api7).map((defect): [string, string, string[]] => [defect, join(api7, defect), api7Expected[defect] ?? []]),
  ];
}

/** A copy of the fixture whose sandbox already holds the seeded portal, so "nothing changed" is observable. */
function seededCopy(fixture: string): { cwd: string; stateFile: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'apiproducts-invalid-'));
  cpSync(fixture, cwd, { recursive: true });
  const stateFile = join(cwd, '.apiproducts', 'sandbox', 'sandbox-api7.json');
  saveStateFile(stateFile, seedApi7State());
  return { cwd, stateFile };
}

for (const [defect, fixture, lines] of fixtureCases()) {
  test(`invalid input ${defect}: validate, plan and apply exit 1 with the exact message, no stack, nothing changed`, async () => {
    const { cwd, stateFile } = seededCopy(fixture);
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
