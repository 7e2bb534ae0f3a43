import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readCheckedProducts } from './load-and-validate.ts';
import { formatDiagnostic } from '../../src/model/diagnostic.ts';
import { tempProject } from './temp-project.ts';

const product = (name: string): string => `name: ${name}\ntargets:\n  sandbox-api7: {type: gateway}\n`;

test('every *.yaml / *.yml under the directory, recursively, in path order', () => {
  const cwd = tempProject({
    'products/zeta.yml': product('zeta'),
    'products/team-b/beta.yaml': product('beta'),
    'products/alpha.yaml': product('alpha'),
    'products/README.md': '# not a product',
  });
  const { products, files, diagnostics } = readCheckedProducts('products', cwd);
  assert.equal(diagnostics, []);
  assert.equal(files.map((f) => f.path), ['products/alpha.yaml', 'products/team-b/beta.yaml', 'products/zeta.yml']);
  assert.equal(products.products.map((p) => p.spec.name), ['alpha', 'beta', 'zeta']);
  assert.is(files[0]?.content, product('alpha'));
  assert.ok(products.products[1]?.absolutePath.endsWith('/products/team-b/beta.yaml'));
});

test('OpenAPI documents are not products: specs/ directories, *.json and files with openapi/swagger at the top', () => {
  const external = (name: string, spec: string): string => `name: ${name}\ntargets:\n  sandbox-api7: {type: external, openapi: ${spec}}\n`;
  const cwd = tempProject({
    'products/weather.yaml': external('weather', './specs/weather.yaml'),
    'products/specs/weather.yaml': 'openapi: 3.0.3\ninfo: {title: W, version: "1"}\npaths: {}\n',
    'products/legacy.yaml': external('legacy', './legacy-api.yaml'),
    'products/legacy-api.yaml': 'swagger: "2.0"\ninfo: {title: L, version: "1"}\npaths: {}\n',
    'products/v3.yaml': external('v3', './v3.json'),
    'products/v3.json': '{"openapi": "3.1.0", "info": {"title": "V", "version": "1"}}',
  });
  const { products, files, diagnostics } = readCheckedProducts('products', cwd);
  assert.equal(diagnostics, []);
  assert.equal(files.map((f) => f.path), ['products/legacy.yaml', 'products/v3.yaml', 'products/weather.yaml']);
  assert.equal(products.products.map((p) => p.spec.name), ['legacy', 'v3', 'weather']);
});

test('an OpenAPI document no product references is an error, at its openapi key; so is any other file', () => {
  const cwd = tempProject({
    'products/p.yaml': product('p'),
    'products/specs/old.json': '{}',
    'products/v3.yaml': '# old\nopenapi: 3.1.0\ninfo: {title: V, version: "1"}\n',
    'products/notes.txt': 'x',
    'products/README.md': '# left alone',
    'products/.cache/x.yaml': 'left alone',
  });
  assert.equal(readCheckedProducts('products', cwd).diagnostics.map((d) => `${d.source?.file}:${d.source?.line}:${d.source?.column} ${d.rule}`), [
    'products/notes.txt:1:1 products/unknown-file',
    'products/specs/old.json:1:1 products/unreferenced-spec',
    'products/v3.yaml:2:1 products/unreferenced-spec',
  ]);
});

test('several documents per file; empty documents are ignored; locate points into the right document', () => {
  const cwd = tempProject({ 'products/all.yaml': `# header\n---\n${product('one')}---\n---\n${product('two')}` });
  const { products, diagnostics } = readCheckedProducts('products', cwd);
  assert.equal(diagnostics, []);
  assert.equal(products.products.map((p) => p.spec.name), ['one', 'two']);
  assert.equal(products.products[1]?.locate(['name']), { file: 'products/all.yaml', line: 8, column: 7 });
});

test('a document with a syntax error is reported and left out; the others in the file still load', () => {
  const cwd = tempProject({ 'products/p.yaml': `${product('good')}---\nname: bad\ntargets: {a: [}\n` });
  const { products, diagnostics } = readCheckedProducts('products', cwd);
  assert.equal(products.products.map((p) => p.spec.name), ['good']);
  assert.is(diagnostics.length, 1, "the first syntax error only: the rest is the parser's confusion");
  for (const d of diagnostics) {
    assert.is(d.rule, 'yaml/syntax');
    assert.is(d.source?.line, 6);
    assert.not.match(d.message, /\n|at line/, 'one line, no excerpt: the position is given separately');
  }
});

test('a product that fails the schema is reported and not returned', () => {
  const cwd = tempProject({ 'products/p.yaml': 'name: p\nstatus: live\ntargets: {a: {}}\n' });
  const { products, diagnostics } = readCheckedProducts('products', cwd);
  assert.equal(products.products, []);
  assert.equal(diagnostics.map((d) => d.rule), ['schema/enum']);
});

test('a missing directory names --products; an empty one warns', () => {
  const cwd = tempProject({ 'other/.keep': '' });
  assert.equal(readCheckedProducts('products', cwd).diagnostics.map(formatDiagnostic), [
    'error [products/missing] products directory products/ not found\n  fix: run in the directory that holds products/, or point at it with --products DIR',
  ]);
  assert.equal(readCheckedProducts('other', cwd).diagnostics.map((d) => `${d.severity} ${d.rule}`), ['warning products/none']);
});

test.run();
