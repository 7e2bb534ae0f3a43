import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseYamlFile } from '../../src/load/parse-yaml.ts';

/** The two figures a script (its lines) prints, run by V8 in a process of its own with gc() (a flag not for the test workers). */
function measuredInOwnProcess(lines: readonly string[]): [number, number] {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', lines.join('\n')], { encoding: 'utf8' });
  return JSON.parse(out) as [number, number];
}

// A plain file's text is kept as js-yaml holds it (src/load/yaml-values.ts `keepText`): the same text.
test('the text kept of a plain file is the file, with or without a final newline, with CRLF, and empty documents too', () => {
  for (const text of ['name: a\ntargets: {t: {}}\n', 'name: a\ntargets: {t: {}}', 'name: a\r\ntargets: {t: {}}\r\n', '# only a comment\n', '~\n']) {
    const parsed = parseYamlFile(text, 'f.yaml');
    assert.is(parsed.text, text, JSON.stringify(text));
  }
  assert.is(parseYamlFile('a: &x 1\nb: *x\n', 'f.yaml').text, undefined, 'text that is not plain keeps the caller\'s copy');
});

test('one copy of each file stays in memory: the kept text is the copy the values point into, not a second one', () => {
  // Measured by V8 in a process of its own (gc() needs a flag that is not for the test workers):
  // 2,000 files of 4 KB each, the originals dropped once read. Holding the kept texts and the
  // values costs one copy of the files less than holding the originals and the values (what the
  // loader did: the values' strings keep js-yaml's copy alive).
  const script = [
    "import { parseYamlFile } from './src/load/parse-yaml.ts';",
    'const size = 4000, count = 2000;',
    'const measure = (keep) => {',
    '  gc(); const before = process.memoryUsage().heapUsed;',
    // Plain text (lines under 1,024 characters): a block scalar of 40 lines of 100 characters.
    "  const line = (i) => `  ${'d'.repeat(96)} ${String(i).padStart(3, '0')}`;",
    '  let texts = Array.from({ length: count }, (_, i) => Buffer.from(`name: product-${i}\\ndescription: |\\n${Array.from({ length: 40 }, (_, j) => line(i + j)).join("\\n")}\\n`).toString());',
    '  const held = texts.map((text) => { const parsed = parseYamlFile(text, "f.yaml"); return [keep(parsed, text), parsed.documents[0].value]; });',
    '  texts = undefined;',
    '  gc(); const copies = (process.memoryUsage().heapUsed - before) / (count * size);',
    '  return held.length === count ? Math.round(copies * 10) / 10 : NaN;',
    '};',
    'console.log(JSON.stringify([measure((parsed) => parsed.text), measure((_, text) => text)]));',
  ];
  const [kept, originals] = measuredInOwnProcess(script);
  assert.ok(originals - kept > 0.8, `the kept texts save ${Math.round((originals - kept) * 10) / 10} of a copy (${kept} copies against ${originals}); without the fix they save none`);
});

test('a short plain value repeated across files is held once (yaml-values.ts), a quoted one once per file', () => {
  // As above, in a process of its own: 20,000 documents of four short values, plain or quoted.
  // Both read the same values; without the interning both cost the same.
  const script = [
    "import { parseYamlFile } from './src/load/parse-yaml.ts';",
    'const count = 20000;',
    'const measure = (quote) => {',
    '  gc(); const before = process.memoryUsage().heapUsed;',
    "  const held = Array.from({ length: count }, (_, i) => parseYamlFile(`name: \"product-${i}\"\nstatus: ${quote}published${quote}\nvisibility: ${quote}public${quote}\nteam: ${quote}billing${quote}\ntier: ${quote}gold${quote}\n`, 'f.yaml').documents[0].value);",
    '  gc(); const perDocument = (process.memoryUsage().heapUsed - before) / count;',
    "  return held.every((value) => value.status === 'published' && value.tier === 'gold') ? Math.round(perDocument) : NaN;",
    '};',
    "console.log(JSON.stringify([measure(''), measure('\"')]));",
  ];
  const [plain, quoted] = measuredInOwnProcess(script);
  assert.ok(quoted - plain >= 4 * 16, `plain values save ${quoted - plain} bytes a document (${plain} against ${quoted}); four copies of 16 bytes or more each are expected`);
});

test.run();
