import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sortDiagnostics } from '../../src/validate/diagnostic-order.ts';
import { loadAndValidate } from './load-and-validate.ts';
import { formatDiagnostic, type Diagnostic } from '../../src/model/diagnostic.ts';
import { createFakeKind } from '../validate/fake-provider.ts';
import { tempProject } from './temp-project.ts';
import { getProviderKind } from '../../src/registry.ts';
import type { ProviderKind } from '../../src/providers/provider.ts';

/** The example project fixture (test/fixtures/example-project), not the working tree's products/. */
const exampleProject = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'example-project');

test('the shipped example project loads with no diagnostics at all, through the real providers', () => {
  const bindings: string[] = [];
  const counted = (name: string): ProviderKind | undefined => {
    const kind = getProviderKind(name);
    return kind && { ...kind, validateBinding: (product, target) => (bindings.push(`${product.name}@${target.name}`), kind.validateBinding(product, target)) };
  };
  const project = loadAndValidate({ cwd: exampleProject, kinds: counted });
  assert.equal(project.diagnostics.map(formatDiagnostic), []);
  assert.equal(project.config?.targets.map((t) => t.name), ['sandbox-api7', 'sandbox-apigee']);
  assert.equal(project.products.products.map((p) => p.spec.name), ['identity', 'loyalty', 'orders', 'payments', 'weather']);
  assert.equal(project.files.map((f) => f.path), [
    'apiproducts.yaml',
    'products/identity.yaml',
    'products/loyalty.yaml',
    'products/orders.yaml',
    'products/payments.yaml',
    'products/weather.yaml',
  ]);
  assert.is(bindings.length, 9, 'every product on every target it binds went through validateBinding');
});

test('--config and --products point elsewhere', () => {
  const cwd = tempProject({
    'deploy/targets.yaml': 'targets:\n  sb: {provider: api7, sandbox: true}\n',
    'catalog/p.yaml': 'name: p\ntargets:\n  sb: {type: gateway}\n',
  });
  const project = loadAndValidate({ cwd, configPath: 'deploy/targets.yaml', productsDir: 'catalog', kinds: () => createFakeKind().fake });
  assert.equal(project.diagnostics, []);
  assert.equal(project.files.map((f) => f.path), ['catalog/p.yaml', 'deploy/targets.yaml']);
});

test('everything is reported at once, across files, sorted by file, line, column', () => {
  const cwd = tempProject({
    'apiproducts.yaml': 'targets:\n  sb: {provider: api7, sandbox: true}\nconcurency: 4\n',
    'products/b.yaml': 'name: b\nvisibility: hidden\ntargets:\n  sb: {type: gateway, sevices: []}\n',
    'products/a.yaml': 'name: a\nname: a2\n',
  });
  const project = loadAndValidate({ cwd, kinds: () => createFakeKind().fake });
  assert.is(project.config, undefined, 'apiproducts.yaml does not match its schema');
  assert.equal(
    project.diagnostics.map((d) => `${d.source?.file}:${d.source?.line}:${d.source?.column} ${d.rule}`),
    [
      'apiproducts.yaml:3:1 schema/additional-properties',
      'products/a.yaml:2:1 yaml/duplicate-key',
      'products/b.yaml:2:13 schema/enum',
      'products/b.yaml:4:23 schema/additional-properties',
    ],
  );
  assert.equal(project.files.map((f) => f.path), ['apiproducts.yaml', 'products/a.yaml', 'products/b.yaml']);
});

test('sortDiagnostics: file-less first, then by position, stable for ties', () => {
  const d = (rule: string, file?: string, line = 1, column = 1): Diagnostic =>
    file ? { severity: 'error', rule, message: '', source: { file, line, column } } : { severity: 'error', rule, message: '' };
  const sorted = sortDiagnostics([d('b2', 'b', 2, 1), d('a10', 'a', 10), d('none'), d('a2', 'a', 2, 5), d('a2-again', 'a', 2, 5), d('a2-col1', 'a', 2, 1)]);
  assert.equal(sorted.map((x) => x.rule), ['none', 'a2-col1', 'a2', 'a2-again', 'a10', 'b2']);
});

test.run();
