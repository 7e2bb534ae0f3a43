/**
 * Shared by the Apigee provider tests: the example products with an Apigee binding added (their
 * `targets:` block is last, so a binding appended to the file lands in it), the sandbox target
 * for either flavour, and changes built the way the planner builds them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exampleProject } from '../helpers/project.ts';
import { LineCounter, parseDocument } from 'yaml';
import type { Change, ChangeAction } from '../../src/model/plan.ts';
import type { EffectiveProduct, ProductSource, ProductSpec } from '../../src/model/product.ts';
import type { TargetConfig } from '../../src/model/target.ts';
import { resolveEffective } from '../../src/model/effective-product.ts';
import { createLocator } from '../../src/load/locator.ts';
import type { DesiredObject, LiveObject } from '../../src/model/objects.ts';

export const TARGET = 'sandbox-apigee';
export const ORG = 'sandbox';
export const TOKEN = 'apigee-SENTINEL-token-5b1e9a07';
export type Flavour = 'edge' | 'x';
export const FLAVOURS: readonly Flavour[] = ['edge', 'x'];

export function apigeeTarget(flavour: Flavour = 'edge', settings: Record<string, unknown> = {}): TargetConfig {
  return {
    name: TARGET,
    provider: 'apigee',
    sandbox: true,
    insecure: false,
    ignore: [],
    settings: { provider: 'apigee', sandbox: true, flavour, org: ORG, ...settings },
    source: { file: 'apiproducts.yaml', line: 9, column: 3 },
  };
}

/**
 * How each example binds on Apigee. `logged-in` has no Apigee meaning, so those override
 * visibility; payments gets the seed 002 quota tiers; the proxies are the seeded ones.
 */
export const APIGEE_BINDINGS: Record<string, string> = {
  payments: `    proxies: [payments-v1]
    environments: [prod]
    resources: [/charges/**, /refunds]
    scopes: [payments.read, payments.write]
    plans:
      - name: free
        limits: {perSecond: 5, perDay: 1000, perMonth: 20000, burst: 10}
      - name: premium
        limits: {perSecond: 50, perDay: 100000}
`,
  identity: `    visibility: private
    proxies: [identity-v1]
    scopes: [openid, profile]
`,
  // No plans: the key is `orders`, the seeded product of ours that drifted.
  orders: `    visibility: public
    proxies: [orders-v2]
    environments: [prod]
    resources: [/orders/**]
`,
  loyalty: `    visibility: private
    proxies: [loyalty-v1]
    environments: [test]
    plans: [{name: standard, limits: {perMinute: 600, perHour: 20000}}]
`,
  weather: `    resources: [/forecasts/**]
    labels: {source: partner}
`,
};
export const EXAMPLES = Object.keys(APIGEE_BINDINGS);

/** A product document from text, as the loader would give it (file path shown relative). */
export function sourceFromText(text: string, file: string): ProductSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const { locate } = createLocator(doc, lineCounter, file);
  return { spec: doc.toJS() as ProductSpec, file, absolutePath: path.resolve(exampleProject, file), locate };
}

export function exampleText(name: string): string {
  return `${readFileSync(path.join(exampleProject, 'products', `${name}.yaml`), 'utf8')}  ${TARGET}:\n${APIGEE_BINDINGS[name] ?? ''}`;
}

export function apigeeSource(name: string): ProductSource {
  return sourceFromText(exampleText(name), `products/${name}.yaml`);
}

export function apigeeProduct(name: string): EffectiveProduct {
  return resolveEffective(apigeeSource(name), TARGET);
}

/** A product from YAML text (with the sandbox binding written by the test), resolved for the target. */
export function productFromText(text: string, file = 'products/x.yaml'): EffectiveProduct {
  return resolveEffective(sourceFromText(text, file), TARGET);
}

/** A change as the planner makes it: `after` from the desired object (or the live state for unpublish), `ref` from the live one. */
export function changeFor(action: ChangeAction, desired: DesiredObject | undefined, live?: LiveObject, status?: 'draft' | 'published'): Change {
  const key = desired?.key ?? live?.key ?? 'unknown';
  const after = action === 'unpublish' && live ? { status: 'draft' as const, state: live.state } : desired ? { status: status ?? desired.status, state: desired.state } : undefined;
  return {
    id: `${TARGET}/${key}/${action}`,
    action,
    target: TARGET,
    key,
    product: desired?.product ?? live?.product ?? key,
    fields: [],
    risk: action === 'delete' || action === 'unpublish' ? 'high' : 'low',
    reasons: [],
    dependsOn: [],
    precondition: live ? { kind: 'present', fingerprint: 'sha256:test', observed: { status: live.status, state: live.state } } : { kind: 'absent' },
    ...(after && action !== 'delete' ? { after } : {}),
    ...(live ? { ref: live.ref } : {}),
    ...(desired ? { source: desired.locate() } : {}),
    protected: desired?.protected ?? false,
  };
}
