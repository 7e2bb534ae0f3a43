import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadProject } from '../../src/load/load-project.ts';
import { formatDiagnostic } from '../../src/model/diagnostic.ts';
import { fakeKinds } from './fake-provider.ts';
import { expectedDiagnostics as expected } from '../fixtures/invalid-expected.ts';

/**
 * One tiny project per defect under test/fixtures/invalid/<defect>/, and the exact output a user
 * sees for it: file:line:column, severity, rule id, message, fix. Written by hand, not recorded.
 */
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'invalid');


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
