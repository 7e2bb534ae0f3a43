import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadAndValidate, readCheckedConfig } from './load-and-validate.ts';
import { MAX_FILE_BYTES } from '../../src/load/read-text.ts';
import { formatDiagnostic } from '../../src/model/diagnostic.ts';
import { getProviderKind } from '../../src/registry.ts';
import { fakeKinds } from '../validate/fake-provider.ts';
import { guardedLoadLines } from '../helpers/guarded-load.ts';
import { tempProject } from './temp-project.ts';

/**
 * Inputs too large to commit as fixtures, built here: each must give its exact line(s). Those
 * that once took minutes load under a hang guard (test/helpers/watchdog.ts: fails at 60 s), not
 * a time budget in ms, which failed on loaded machines; typical times are in the comments.
 */
const CONFIG = 'targets:\n  sandbox-api7:\n    provider: api7\n    sandbox: true\n';
const BINDING = 'targets:\n  sandbox-api7:\n    type: gateway\n    services: [{gatewayGroup: default, service: payments}]\n';

async function load(files: Record<string, string>, kinds: 'fake' | 'real' = 'fake'): Promise<{ lines: string[] }> {
  const cwd = tempProject({ 'apiproducts.yaml': CONFIG, ...files });
  return { lines: await guardedLoadLines(cwd, kinds) };
}

test('a 20 MB product file is refused before it is read', async () => {
  const { lines } = await load({ 'products/huge.yaml': `name: huge\ndescription: ${'x'.repeat(20 * 1024 * 1024)}\n${BINDING}` });
  assert.equal(lines, [
    'products/huge.yaml:1:1 error [file/too-large] the file is 20.0 MiB; a product file may be at most 512 KiB (it was not read)\n  fix: split it: one product per file (a product file is a few KiB)',
  ]);
  // typically ~5 ms
});

test('a 20 MB apiproducts.yaml is refused before it is read', () => {
  const cwd = tempProject({ 'apiproducts.yaml': `${CONFIG}# ${'x'.repeat(20 * 1024 * 1024)}\n`, 'products/p.yaml': `name: p\n${BINDING}` });
  assert.equal(readCheckedConfig('apiproducts.yaml', cwd).diagnostics.map(formatDiagnostic), [
    'apiproducts.yaml:1:1 error [file/too-large] the file is 20.0 MiB; apiproducts.yaml may be at most 512 KiB (it was not read)\n  fix: apiproducts.yaml holds only targets and settings: remove what does not belong there',
  ]);
});

test('the size limit is inclusive: a product file of exactly the limit is read, one byte more is not', async () => {
  const head = `name: payments\n${BINDING}description: "`;
  const exact = `${head}${'lorem ipsum '.repeat(MAX_FILE_BYTES)}`.slice(0, MAX_FILE_BYTES - 2) + '"\n';
  assert.is(Buffer.byteLength(exact), MAX_FILE_BYTES);
  assert.equal((await load({ 'products/p.yaml': exact })).lines, []);
  assert.equal((await load({ 'products/p.yaml': `${exact} ` })).lines.map((l) => l.split(' ').slice(0, 3).join(' ')), ['products/p.yaml:1:1 error [file/too-large]']);
});

test('the densest YAML a file may hold (one token per byte) still loads in bounded time', async () => {
  const { lines } = await load({ 'products/p.yaml': `name: p\n${BINDING}labels: [${'a,'.repeat(MAX_FILE_BYTES / 2 - 200)}a]\n` });
  assert.equal(lines, ['products/p.yaml:6:9 error [schema/type] labels must be a mapping (key: value), not a list']);
  // typically ~2 s
});

test('30,000 labels, each wrong: linear time, and 20 lines and a count, not 30,000', async () => {
  const labels = Array.from({ length: 30_000 }, (_, i) => `  l${i}: ${i}\n`).join('');
  const { lines } = await load({ 'products/p.yaml': `name: p\n${BINDING}labels:\n${labels}` });
  assert.is(lines.length, 21);
  assert.is(lines[20], 'products/p.yaml:27:8 error [report/truncated] 29980 more problems in this file from here on are not shown\n  fix: fix the problems above and run again');
  // ~0.8 s (minutes before positions and repeated keys were indexed)
});

test('long values do not make the secret and URL patterns backtrack', async () => {
  const long = 'a'.repeat(400_000);
  assert.equal((await load({ 'products/p.yaml': `name: p\ndescription: ${long}\n${BINDING}` })).lines, []);
  const url = `name: p\ntargets:\n  sandbox-api7: {type: external, openapi: ./x.yaml, serverUrls: ["https://${long} x"]}\n`;
  assert.equal((await load({ 'products/p.yaml': url })).lines, [
    'products/p.yaml:3:66 error [schema/format] targets.sandbox-api7.serverUrls[0] must be an absolute URL such as https://example.com/path',
  ]);
  // ~0.1 s; the url pattern alone took minutes before
});

test('a 400 KB key is shown cut to 64 characters, with no typo search over it', async () => {
  const { lines } = await load({ 'products/p.yaml': `name: p\n? ${'k'.repeat(400_000)}\n: 1\n${BINDING}` });
  assert.equal(lines, [
    `products/p.yaml:2:3 error [schema/additional-properties] unknown field "${'k'.repeat(64)}…"\n  fix: allowed fields: name, displayName, description, status, visibility, access, team, labels, auth, plans, protected, targets`,
  ]);
});

test('many aliases of one value are refused before the document is built (quadratic in the YAML library)', async () => {
  const aliases = Array.from({ length: 40_000 }, (_, i) => `l${i}: *n`).join(', ');
  const { lines } = await load({ 'products/p.yaml': `name: &n p\nlabels: {${aliases}}\n${BINDING}` });
  assert.equal(lines, [
    'products/p.yaml:2:906 error [yaml/alias-bomb] a document uses more than 100 aliases (*name); the file is refused as a possible "billion laughs" attack\n  fix: write the values out: a product file needs a few aliases at most (<<: *shared)',
  ]);
  // ~0.3 s (minutes before)
});

test('half a MiB of [ or of "- " is refused as too deep, without hanging', async () => {
  for (const [text, at] of [['['.repeat(MAX_FILE_BYTES - 10), '1:65'], ['- '.repeat(MAX_FILE_BYTES / 2 - 10), '1:129']] as const) {
    const { lines } = await load({ 'products/p.yaml': text });
    assert.equal(lines, [
      `products/p.yaml:${at} error [yaml/too-deep] lists and mappings are nested more than 64 levels deep here; the file is not read further\n  fix: look for unclosed or repeated [ and { (a product file needs a handful of levels)`,
    ]);
  }
});

test('3,000 copies of one product: each line names at most 5 other places', async () => {
  const { lines } = await load({ 'products/p.yaml': Array.from({ length: 3000 }, () => `name: p\n${BINDING}`).join('---\n') });
  assert.is(lines[0], 'products/p.yaml:1:7 error [product/duplicate-name] product "p" is also defined at products/p.yaml:7:7, products/p.yaml:13:7, products/p.yaml:19:7, products/p.yaml:25:7, products/p.yaml:31:7, 2994 more places\n  fix: product names are identities on every target: rename one of them or remove the duplicate');
  assert.is(lines.length, 21);
});

test('--config naming a directory says so', () => {
  const cwd = tempProject({ 'conf/apiproducts.yaml': CONFIG });
  assert.equal(readCheckedConfig('conf', cwd).diagnostics.map(formatDiagnostic), [
    'error [config/not-a-file] "conf" is a directory, not a configuration file\n  fix: point --config at the YAML file itself, e.g. --config conf/apiproducts.yaml',
  ]);
});

test('an unreadable product file is reported, not thrown', () => {
  if (process.getuid?.() === 0) return; // root reads everything
  const cwd = tempProject({ 'apiproducts.yaml': CONFIG, 'products/p.yaml': `name: p\n${BINDING}` });
  chmodSync(join(cwd, 'products/p.yaml'), 0o000);
  const lines = loadAndValidate({ cwd, kinds: fakeKinds }).diagnostics.map(formatDiagnostic);
  assert.equal(lines, ['products/p.yaml:1:1 error [file/unreadable] the file cannot be read (EACCES: permission denied)\n  fix: check the file permissions, or remove the file']);
});

test('openapi: a directory on the way that links outside the project is refused too', () => {
  const cwd = tempProject({ 'apiproducts.yaml': CONFIG, 'products/p.yaml': 'name: p\ntargets:\n  sandbox-api7: {type: external, openapi: ./specs/passwd, serverUrls: [https://x.example.com]}\n' });
  symlinkSync('/etc', join(cwd, 'products/specs'));
  const lines = loadAndValidate({ cwd, kinds: getProviderKind }).diagnostics.map(formatDiagnostic);
  assert.equal(lines, [
    'products/p.yaml:3:43 error [product/openapi-outside-project] openapi path "./specs/passwd" is a symbolic link to a file outside the project directory\n  fix: copy the OpenAPI file into the project instead of linking to it',
    'products/specs:1:1 error [products/link-to-directory] the directory is a symbolic link; links to directories under products/ are not followed, so nothing in it was read\n  fix: move the directory into products/, or link each file instead',
  ]);
});

test('openapi: a path outside products/ but inside the project is fine; so is a products directory elsewhere', () => {
  const spec = 'openapi: 3.0.3\ninfo: {title: W, version: "1"}\npaths: {}\n';
  const product = (path: string) => `name: w\ntargets:\n  sandbox-api7: {type: external, openapi: ${path}, serverUrls: [https://x.example.com]}\n`;
  const cwd = tempProject({ 'apiproducts.yaml': CONFIG, 'specs/w.yaml': spec, 'products/w.yaml': product('../specs/w.yaml') });
  assert.equal(loadAndValidate({ cwd, kinds: getProviderKind }).diagnostics.map(formatDiagnostic), []);
  const elsewhere = tempProject({ 'catalog/w.yaml': product('./specs/w.yaml'), 'catalog/specs/w.yaml': spec });
  mkdirSync(join(cwd, 'run'));
  writeFileSync(join(cwd, 'run', 'apiproducts.yaml'), CONFIG);
  const lines = loadAndValidate({ cwd: join(cwd, 'run'), productsDir: join(elsewhere, 'catalog'), kinds: getProviderKind }).diagnostics;
  assert.equal(lines.map(formatDiagnostic), []);
});

test('the API7 provider: an openapi path naming a directory is reported, not thrown (EISDIR before)', async () => {
  const { lines } = await load(
    { 'products/p.yaml': 'name: p\ntargets:\n  sandbox-api7: {type: external, openapi: ./specs, serverUrls: [https://x.example.com]}\n', 'products/specs/w.yaml': 'openapi: 3.0.3\n' },
    'real',
  );
  assert.equal(lines, [
    'products/p.yaml:3:43 error [api7/openapi-unreadable] OpenAPI file products/specs is a directory\n  fix: point openapi at the OpenAPI document itself, e.g. ./specs/weather.yaml',
    'products/specs/w.yaml:1:1 error [products/unreferenced-spec] this OpenAPI document is referenced by no product (targets.<target>.openapi); it was not read\n  fix: reference it from a product, or move it out of products/',
  ]);
});

test('what git cannot hold: a named pipe and a directory link looping to itself are errors, read by no one', async () => {
  if (process.platform === 'win32') return; // no mkfifo
  const cwd = tempProject({ 'apiproducts.yaml': CONFIG, 'products/p.yaml': `name: p\n${BINDING}` });
  execFileSync('mkfifo', [join(cwd, 'products/pipe.yaml')]); // reading it would block forever
  symlinkSync('.', join(cwd, 'products/loop'));
  symlinkSync('loop-b.yaml', join(cwd, 'products/loop-a.yaml'));
  symlinkSync('loop-a.yaml', join(cwd, 'products/loop-b.yaml'));
  assert.equal(await guardedLoadLines(cwd, 'fake'), [
    'products/loop:1:1 error [products/link-to-directory] the directory is a symbolic link; links to directories under products/ are not followed, so nothing in it was read\n  fix: move the directory into products/, or link each file instead',
    'products/loop-a.yaml:1:1 error [file/unreadable] the file cannot be read (ELOOP: too many symbolic links)\n  fix: check the file permissions, or remove the file',
    'products/loop-b.yaml:1:1 error [file/unreadable] the file cannot be read (ELOOP: too many symbolic links)\n  fix: check the file permissions, or remove the file',
    'products/pipe.yaml:1:1 error [products/not-a-file] this is not a regular file (a device, socket or pipe); it was not read\n  fix: remove it from products/',
  ]);
});

test.run();
