import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ProductSource, ProductSpec } from '../../src/model/product.ts';
import type { Config, TargetConfig } from '../../src/model/target.ts';
import { checkProjectRules } from '../../src/validate/project-rules.ts';
import { createFakeKind } from './fake-provider.ts';

const at = (line: number) => ({ file: 'apiproducts.yaml', line, column: 3 });
const targetConfig = (name: string, provider: string, line: number): TargetConfig => ({
  name,
  provider,
  sandbox: true,
  insecure: false,
  ignore: [],
  settings: { provider, sandbox: true },
  source: at(line),
});
const config: Config = {
  file: 'apiproducts.yaml',
  prune: false,
  concurrency: 8,
  targets: [targetConfig('sandbox-api7', 'api7', 2), targetConfig('sandbox-apigee', 'apigee', 3)],
};
function product(spec: ProductSpec): ProductSource {
  return {
    spec,
    file: `products/${spec.name}.yaml`,
    absolutePath: `/p/products/${spec.name}.yaml`,
    locate: (path) => ({ file: `products/${spec.name}.yaml`, line: path.length + 1, column: 1 }),
  };
}

test('each target goes to its kind once; each binding as an effective product with overrides applied', () => {
  const { fake, calls } = createFakeKind();
  const products = [
    product({ name: 'a', visibility: 'public', targets: { 'sandbox-api7': { visibility: 'logged-in', type: 'gateway' } } }),
    product({ name: 'b', targets: { 'sandbox-api7': {} } }),
  ];
  const diagnostics = checkProjectRules(config, { products }, (kind) => (kind === 'api7' ? fake : undefined));
  assert.equal(calls.targets.map((t) => t.name), ['sandbox-api7']);
  assert.equal(calls.bindings.map((c) => [c.product.name, c.product.visibility, c.product.binding, c.target.name]), [
    ['a', 'logged-in', { type: 'gateway' }, 'sandbox-api7'],
    ['b', 'logged-in', {}, 'sandbox-api7'],
  ]);
  assert.equal(diagnostics.map((d) => d.rule), ['config/unknown-provider'], 'apigee is not registered here');
  assert.equal(diagnostics[0]?.source, at(3));
});

test('provider diagnostics without a position get the binding position, target and product', () => {
  const { fake } = createFakeKind();
  const diagnostics = checkProjectRules(config, { products: [product({ name: 'c', visibility: 'internal', targets: { 'sandbox-api7': {} } })] }, (kind) =>
    kind === 'api7' || kind === 'apigee' ? fake : undefined,
  );
  assert.equal(diagnostics, [
    {
      severity: 'error',
      rule: 'fake/visibility',
      message: 'visibility internal is not allowed on sandbox-api7',
      source: { file: 'products/c.yaml', line: 3, column: 1 },
      target: 'sandbox-api7',
      product: 'c',
    },
  ]);
});

test('bindings to unknown targets or unsupported providers are not handed to a provider', () => {
  const { fake, calls } = createFakeKind();
  const diagnostics = checkProjectRules(
    config,
    { products: [product({ name: 'd', targets: { 'sandbox-apigee': {}, nowhere: {} } }), product({ name: 'd', targets: { 'sandbox-api7': {} } })] },
    (kind) => (kind === 'api7' ? fake : undefined),
  );
  assert.is(calls.bindings.length, 1);
  assert.equal(diagnostics.map((d) => d.rule).sort(), ['config/unknown-provider', 'product/duplicate-name', 'product/duplicate-name', 'product/unknown-target']);
});

test.run();
