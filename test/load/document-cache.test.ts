import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheDirectory, MIN_CACHED_FILES, openDocumentCache } from '../../src/load/document-cache.ts';
import { loadProject } from '../../src/load/load-project.ts';
import { formatDiagnostic } from '../../src/model/diagnostic.ts';
import { getProviderKind } from '../../src/registry.ts';
import { validateProject } from '../../src/validate/validate-project.ts';
import { tempProject } from './temp-project.ts';

const CONFIG = "targets:\n  sandbox-api7:\n    provider: api7\n    sandbox: true\n";
const product = (i: number, extra = ''): string =>
  `name: product-${String(i).padStart(4, '0')}\ndisplayName: Product ${i}\nlabels: {team: payments, tier: gold}\ntargets:\n  sandbox-api7: {type: gateway, services: [{gatewayGroup: default, service: svc-${i}}]}\n${extra}`;

/** A project just large enough to be read through the cache, with `files` on top. */
function project(files: Record<string, string> = {}): string {
  const products: Record<string, string> = { 'apiproducts.yaml': CONFIG };
  for (let i = 0; i < MIN_CACHED_FILES; i++) products[`products/p${String(i).padStart(4, '0')}.yaml`] = product(i);
  return tempProject({ ...products, ...files });
}

/** What the commands do (commands/project.ts): load, validate, save what passed. */
function run(cwd: string, cache = true) {
  const loaded = loadProject({ cwd, cache });
  const validated = validateProject(loaded, getProviderKind, cwd);
  loaded.cache?.save(validated.passed);
  const documents = loaded.products.flatMap((file) => file.documents);
  return {
    values: validated.products.products.map((source) => source.spec),
    diagnostics: validated.diagnostics.map((d) => formatDiagnostic(d)),
    fromCache: documents.filter((d) => d.fromCache).length,
    parsed: documents.filter((d) => !d.fromCache).length,
  };
}

const shards = (cwd: string): string[] => readdirSync(cacheDirectory(cwd)).filter((name) => name.endsWith('.json'));

test('the second run of an unchanged project takes every document from the cache, with the same values', () => {
  const cwd = project();
  const first = run(cwd);
  assert.is(first.fromCache, 0);
  assert.equal(first.diagnostics, []);
  assert.ok(shards(cwd).length > 0 && shards(cwd).length <= 16);
  // Outside the checkout: nothing a commit could bring along.
  assert.ok(!cacheDirectory(cwd).startsWith(cwd));
  assert.not.ok(existsSync(join(cwd, '.apiproducts')));
  const second = run(cwd);
  assert.is(second.fromCache, MIN_CACHED_FILES);
  assert.is(second.parsed, 0);
  assert.equal(second.values, first.values);
  assert.equal(second.diagnostics, []);
});

test('an edited file is parsed and checked again, and its new value is the one used', () => {
  const cwd = project();
  run(cwd);
  writeFileSync(join(cwd, 'products/p0007.yaml'), product(7).replace('Product 7', 'Product seven'));
  const after = run(cwd);
  assert.is(after.parsed, 1);
  assert.is(after.values[7]?.displayName, 'Product seven');
  assert.is(run(cwd).fromCache, MIN_CACHED_FILES);
});

test('a document with a finding of its own is never cached: every run reports it alike', () => {
  const cwd = project({
    'products/secret.yaml': product(9001, 'description: "token ghp_0123456789abcdefghijABCDEFGHIJklmnop"\n'),
    'products/schema.yaml': product(9002, 'visibility: everyone\n'),
  });
  const first = run(cwd);
  assert.ok(first.diagnostics.length >= 2, first.diagnostics.join('\n'));
  const second = run(cwd);
  assert.equal(second.diagnostics, first.diagnostics);
  assert.is(second.parsed, 2);
  assert.not.match(shards(cwd).map((name) => readFileSync(join(cacheDirectory(cwd), name), 'utf8')).join(''), /ghp_|everyone/);
});

test('rules across files still run on cached documents: a duplicate name is reported on every run', () => {
  const cwd = project({ 'products/zz-copy.yaml': product(3).replace('displayName: Product 3', 'displayName: Copy') });
  const first = run(cwd).diagnostics;
  assert.ok(first.some((line) => line.includes('product-0003')), first.join('\n'));
  assert.equal(run(cwd).diagnostics, first);
});

test('entries made by other code, or shards that do not parse, are ignored', () => {
  const cwd = project();
  run(cwd);
  const text = product(1);
  assert.ok(openDocumentCache(cwd)!.lookup(text, 'product').value !== undefined);
  assert.is(openDocumentCache(cwd, 'another build')!.lookup(text, 'product').value, undefined);
  for (const name of shards(cwd)) writeFileSync(join(cacheDirectory(cwd), name), '{"identity": ');
  const after = run(cwd);
  assert.is(after.fromCache, 0);
  assert.equal(after.diagnostics, []);
  assert.is(run(cwd).fromCache, MIN_CACHED_FILES);
});

test('values JSON cannot give back are not cached; keys such as __proto__ come back as own keys', () => {
  const cwd = project();
  const cache = openDocumentCache(cwd, 'test')!;
  // As js-yaml makes it: an own key, not the prototype.
  const odd = { ['__proto__']: 'own', list: [1, -2.5, 'x', null, true] };
  cache.save([
    { key: cache.lookup('nan', 'product').key, value: { weight: Number.NaN } },
    { key: cache.lookup('minus zero', 'product').key, value: { weight: -0 } },
    { key: cache.lookup('odd', 'product').key, value: odd },
  ]);
  const again = openDocumentCache(cwd, 'test')!;
  assert.is(again.lookup('nan', 'product').value, undefined);
  assert.is(again.lookup('minus zero', 'product').value, undefined);
  const back = again.lookup('odd', 'product').value as Record<string, unknown>;
  assert.ok(Object.hasOwn(back, '__proto__'));
  assert.is(back['__proto__'], 'own');
  assert.equal(back['list'], [1, -2.5, 'x', null, true]);
  assert.is(Object.getPrototypeOf(back), Object.prototype);
});

test('two files with the same text do not share one value', () => {
  const cwd = project();
  run(cwd);
  const cache = openDocumentCache(cwd)!;
  const first = cache.lookup(product(2), 'product').value;
  assert.ok(first !== undefined);
  assert.is(cache.lookup(product(2), 'product').value, undefined);
});

test('--no-cache and small projects neither read nor write a cache; a cache that cannot be written changes nothing', () => {
  const cwd = project();
  assert.is(run(cwd, false).fromCache, 0);
  assert.not.ok(existsSync(cacheDirectory(cwd)));
  const small = tempProject({ 'apiproducts.yaml': CONFIG, 'products/one.yaml': product(1) });
  run(small);
  assert.not.ok(existsSync(cacheDirectory(small)));
  const blocked = project();
  mkdirSync(dirname(cacheDirectory(blocked)), { recursive: true });
  writeFileSync(cacheDirectory(blocked), 'a file where the directory would be');
  assert.equal(run(blocked).diagnostics, []);
  assert.equal(run(blocked).diagnostics, []);
});

test('a YAML OpenAPI document a product refers to is read from the cache too', () => {
  const spec = 'openapi: 3.0.3\ninfo: {title: Weather, version: "1"}\npaths:\n  /forecast:\n    get:\n      responses:\n        "200": {description: ok}\n';
  const cwd = project({
    'products/weather.yaml': 'name: weather\ntargets:\n  sandbox-api7: {type: external, openapi: ./specs/weather.yaml}\n',
    'products/specs/weather.yaml': spec,
  });
  const read = () => loadProject({ cwd }).products.find((file) => file.file === 'products/weather.yaml')!.referenced!['./specs/weather.yaml']!;
  const first = read();
  run(cwd);
  assert.ok(openDocumentCache(cwd)!.lookup(spec, 'openapi').value !== undefined);
  assert.equal(read(), first);
});

test('an OpenAPI document holding what looks like a credential is never copied into the cache', () => {
  const TOKEN = 'ghp_Z9y8X7w6Z9y8X7w6Z9y8X7w6Z9y8X7w6Z9y8X7w6cd34';
  const spec = `openapi: 3.0.3\ninfo: {title: Weather, version: "1"}\nx-example-token: ${TOKEN}\npaths: {}\n`;
  const cwd = project({
    'products/weather.yaml': 'name: weather\ntargets:\n  sandbox-api7: {type: external, openapi: ./specs/weather.yaml}\n',
    'products/specs/weather.yaml': spec,
  });
  run(cwd);
  run(cwd);
  assert.is(openDocumentCache(cwd)!.lookup(spec, 'openapi').value, undefined);
  for (const name of shards(cwd)) assert.not.match(readFileSync(join(cacheDirectory(cwd), name), 'utf8'), 'ghp_Z9y8');
});

test('a shard entry that is not a mapping (an edited shard that still parses) is a miss, not a value', () => {
  const cwd = project();
  run(cwd);
  for (const name of shards(cwd)) {
    const path = join(cacheDirectory(cwd), name);
    const shard = JSON.parse(readFileSync(path, 'utf8')) as { entries: Record<string, unknown> };
    for (const [key, index] of Object.keys(shard.entries).map((key, i) => [key, i] as const)) shard.entries[key] = [null, 'x', 5, []][index % 4];
    writeFileSync(path, JSON.stringify(shard));
  }
  const after = run(cwd);
  assert.is(after.fromCache, 0);
  assert.equal(after.diagnostics, []);
  assert.is(after.values.length, MIN_CACHED_FILES);
});

test('the cache directory holds only its shards, one directory per project, from APIPRODUCTS_CACHE_DIR or XDG_CACHE_HOME', () => {
  const cwd = project();
  run(cwd);
  assert.equal(readdirSync(cacheDirectory(cwd)).filter((name) => !name.endsWith('.json')), []);
  assert.is.not(cacheDirectory(cwd), cacheDirectory(project()));
  assert.is(dirname(cacheDirectory('/work/p', { APIPRODUCTS_CACHE_DIR: '/c' })), '/c');
  assert.is(dirname(cacheDirectory('/work/p', { XDG_CACHE_HOME: '/x' })), '/x/apiproducts');
  assert.ok(shards(cwd).every((name) => /^p[0-9a-f]\.json$/.test(name)), shards(cwd).join(' '));
});

test.run();
