import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readCheckedConfig } from './load-and-validate.ts';
import { formatDiagnostic } from '../../src/model/diagnostic.ts';
import { tempProject } from './temp-project.ts';
import { relative, sep } from 'node:path';
import { displayPath } from '../../src/load/read-config.ts';

test('defaults: prune false, concurrency 8; settings is the raw entry; no url for sandboxes', () => {
  const cwd = tempProject({ 'apiproducts.yaml': 'targets:\n  sandbox-api7:\n    provider: api7\n    sandbox: true\n    portal: default\n' });
  const { config, diagnostics } = readCheckedConfig('apiproducts.yaml', cwd);
  assert.equal(diagnostics, []);
  assert.equal(config, {
    file: 'apiproducts.yaml',
    prune: false,
    concurrency: 8,
    targets: [
      {
        name: 'sandbox-api7',
        provider: 'api7',
        sandbox: true,
        insecure: false,
        ignore: [],
        settings: { provider: 'api7', sandbox: true, portal: 'default' },
        source: { file: 'apiproducts.yaml', line: 2, column: 3 },
      },
    ],
  });
});

test('a real target keeps its url; prune and concurrency as written', () => {
  const cwd = tempProject({
    'conf/targets.yaml': 'targets:\n  api7-prod: {provider: api7, url: "https://api7.example.com:7443", tokenEnv: API7_TOKEN}\nprune: true\nconcurrency: 2\n',
  });
  const { config, diagnostics } = readCheckedConfig('conf/targets.yaml', cwd);
  assert.equal(diagnostics, []);
  assert.is(config?.file, 'conf/targets.yaml');
  assert.is(config?.prune, true);
  assert.is(config?.concurrency, 2);
  assert.is(config?.targets[0]?.url, 'https://api7.example.com:7443');
});

test('plain http is fine to loopback, and elsewhere only with insecure: true', () => {
  const cwd = tempProject({
    'apiproducts.yaml': [
      'targets:',
      '  a: {provider: api7, url: "http://127.0.0.1:9180"}',
      '  b: {provider: api7, url: "http://localhost:9180"}',
      '  c: {provider: api7, url: "http://[::1]:9180"}',
      '  d: {provider: apigee, url: "http://ms.internal:8080", insecure: true, org: acme, flavour: edge}',
      '  e: {provider: apigee, url: "http://ms.internal:8080", org: acme, flavour: edge}',
      '',
    ].join('\n'),
  });
  const { config, diagnostics } = readCheckedConfig('apiproducts.yaml', cwd);
  assert.equal(diagnostics.map((d) => `${d.rule} ${d.target}`), ['config/insecure-url e']);
  assert.ok(config, 'the shape is valid, so the config is still returned');
});

test('a missing file names --config', () => {
  const { config, diagnostics } = readCheckedConfig('nope.yaml', tempProject({}));
  assert.is(config, undefined);
  assert.equal(diagnostics.map(formatDiagnostic), [
    'error [config/missing] nope.yaml not found\n  fix: run in the directory that holds apiproducts.yaml, or point at the file with --config FILE',
  ]);
});

test('schema errors: no config, every problem reported, url checks still run', () => {
  const cwd = tempProject({
    'apiproducts.yaml': 'targets:\n  prod:\n    provider: api8\n    url: http://api7.example.com\n    tokenEnv: api7_token\nconcurrency: 0\n',
  });
  const { config, diagnostics } = readCheckedConfig('apiproducts.yaml', cwd);
  assert.is(config, undefined);
  assert.equal(
    diagnostics.map((d) => `${d.source?.line}:${d.source?.column} ${d.rule}`).sort(),
    ['3:15 schema/enum', '4:10 config/insecure-url', '5:15 schema/pattern', '6:14 schema/minimum'],
  );
});

test('an empty file and a file of several documents are errors', () => {
  const cwd = tempProject({ 'empty.yaml': '# nothing yet\n', 'two.yaml': 'targets:\n  a: {provider: api7, sandbox: true}\n---\nprune: true\n' });
  assert.equal(readCheckedConfig('empty.yaml', cwd).diagnostics.map((d) => d.rule), ['config/empty']);
  assert.equal(readCheckedConfig('two.yaml', cwd).diagnostics.map((d) => `${d.rule} ${d.source?.line}`), ['config/multiple-documents 4']);
});

test('displayPath is path.relative with forward slashes, also for paths its shortcut must not take', () => {
  const reference = (path: string, cwd: string) => relative(cwd, path).split(sep).join('/') || '.';
  const cwds = ['/work/p', '/work/p/', '/', '/work/p/..', 'rel', '/work//p'];
  const paths = ['/work/p/a.yaml', '/work/p/products/x/y.yaml', '/work/p', '/work/p/', '/work/pq/a', '/work/p/./a', '/work/p/../a', '/work/p//a', '/work/p/a/', '/other/a', '/work/p/.hidden/a', '/work/p/..a/b', '/work/p/a..', '/work/p/...', '/work/p/a/./b', '/'];
  for (const cwd of cwds) for (const path of paths) assert.is(displayPath(path, cwd), reference(path, cwd), `${path} from ${cwd}`);
});

test.run();
