import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { guardedLoadLines } from '../helpers/guarded-load.ts';
import { expectedDiagnostics as expected, secretFragments } from '../fixtures/invalid-expected.ts';

/**
 * One tiny project per defect under test/fixtures/invalid/<defect>/, and the exact output a user
 * sees for it: file:line:column, severity, rule id, message, fix. Written by hand, not recorded.
 */
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'invalid');


const outputs = new Map<string, string>();

for (const [defect, lines] of Object.entries(expected)) {
  // Under the hang guard (test/helpers/watchdog.ts), not a budget in ms: each takes a few ms, the YAML bombs ~100 ms.
  test(`invalid/${defect}`, async () => {
    const shown = await guardedLoadLines(join(fixtures, defect));
    assert.equal(shown, lines);
    outputs.set(defect, shown.join('\n'));
  });
}

test('every fixture directory has an expectation, and every expectation a fixture', () => {
  const dirs = readdirSync(fixtures).sort();
  assert.equal(dirs, Object.keys(expected).sort());
  for (const dir of dirs) assert.ok(existsSync(join(fixtures, dir, 'products')), `${dir} has products/`);
});

test('the secret never appears in any output', () => {
  for (const [defect, secret] of Object.entries(secretFragments)) {
    assert.ok(outputs.has(defect), `${defect} ran`);
    assert.not.ok(outputs.get(defect)?.includes(secret), `${defect} shows ${secret}`);
  }
});

test('no output carries a raw control, format or bidi character: they are shown escaped', () => {
  for (const [defect, text] of outputs) {
    const raw = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.exec(text.replace(/\n/g, ''));
    assert.is(raw, null, `${defect}: U+${raw?.[0]?.codePointAt(0)?.toString(16)}`);
  }
  assert.ok(outputs.size >= 60, `${outputs.size} fixtures`);
});

test.run();
