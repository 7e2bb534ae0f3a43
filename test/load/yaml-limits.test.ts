import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseYamlFile } from '../../src/load/parse-yaml.ts';
import { MAX_NESTING, scanBlockNesting, scanFlowNesting } from '../../src/load/yaml-limits.ts';

test('the bracket pre-scan skips quoted text and comments: no false alarm on text full of brackets', () => {
  const many = '['.repeat(200);
  for (const text of [`a: "${many}"\n`, `a: '${many} it''s'\n`, `a: 1 # ${many}\n`, `a: "\\" ${many}"\n`]) {
    assert.is(scanFlowNesting(text), undefined, text);
    assert.equal(parseYamlFile(text, 'f.yaml').diagnostics, [], text);
  }
  assert.is(scanFlowNesting(`a: ${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}`), undefined);
  assert.is(scanFlowNesting(`a: ${'['.repeat(MAX_NESTING + 1)}`), 3 + MAX_NESTING);
});

test('nesting within the limit is read; one level more is refused, counting block levels too', () => {
  const nested = (levels: number): string => Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}a:`).join('\n') + ' 1\n';
  assert.equal(parseYamlFile(nested(MAX_NESTING), 'f.yaml').diagnostics, []);
  assert.equal(parseYamlFile(nested(MAX_NESTING + 1), 'f.yaml').diagnostics.map((d) => `${d.rule} ${d.source?.line}:${d.source?.column}`), ['yaml/too-deep 65:129']);
});

test('a few aliases and merge keys are fine; repeated keys are found in every mapping, at the second one', () => {
  const shared = 'base: &b {type: gateway}\nt1: {<<: *b}\nt2: {<<: *b}\n';
  assert.equal(parseYamlFile(shared, 'f.yaml').diagnostics, []);
  const repeated = parseYamlFile('a: 1\nb: {x: 1, y: 2, x: 3}\na: 2\n', 'f.yaml');
  assert.equal(repeated.diagnostics.map((d) => `${d.source?.line}:${d.source?.column} ${d.message}`), [
    '2:17 key "x" appears twice in the same mapping',
    '3:1 key "a" appears twice in the same mapping',
  ]);
  assert.equal(repeated.documents, []);
});

test('the block pre-scan: 2,500 nested "- " are refused before the parser recurses; deep block scalar text is not counted', () => {
  const deep = `a:\n${'- '.repeat(2500)}x\nb: 1\n`;
  assert.is(scanBlockNesting(deep), 3 + 2 * MAX_NESTING);
  assert.equal(parseYamlFile(deep, 'f.yaml').diagnostics.map((d) => `${d.rule} ${d.source?.line}:${d.source?.column}`), ['yaml/too-deep 2:129']);
  const text = Array.from({ length: 200 }, (_, i) => `${' '.repeat(i + 2)}line ${i}`).join('\n');
  for (const header of ['|', '>-', '|2']) assert.is(scanBlockNesting(`description: ${header}\n${text}\nname: p\n`), undefined, header);
  assert.is(scanBlockNesting(`${'- '.repeat(MAX_NESTING)}x\n`), undefined);
});

test.run();
