import {
  OVERRIDABLE_FIELDS,
  type Access,
  type Binding,
  type EffectiveProduct,
  type ProductSource,
  type ProductStatus,
  type Visibility,
} from './product.ts';

/**
 * Defaults for fields a product leaves out. They lean to the safe side, so nothing is exposed by
 * omission: a product without `status` is created as a `draft` (hidden from developers until
 * someone writes `status: published`), without `visibility` it is `logged-in` (never anonymous:
 * `public` must be asked for), and without `access` subscriptions need `approval`.
 */
export const PRODUCT_DEFAULTS = {
  status: 'draft' as ProductStatus,
  visibility: 'logged-in' as Visibility,
  access: 'approval' as Access,
} as const;

/**
 * The product as it must be on one target: the binding block's overrides of common fields win
 * (`displayName`, `status`, `visibility`, `access`, `plans`, `auth` replace the common value;
 * `labels` are merged key by key, the binding's winning, so a sandbox can add `env: sandbox`
 * without repeating every label), then defaults fill the gaps. `binding` keeps only the
 * provider keys. The target must be one the product binds; an unbound target gives an empty binding.
 */
export function resolveEffective(source: ProductSource, target: string): EffectiveProduct {
  // Resolved once per product and target: validation (the provider rules, the policies) and the
  // desired objects all ask, and a copy per ask was garbage of every product's size. A source is
  // not changed once loaded, nor is what is resolved from it. Nearly every product binds one
  // target: its effective form is kept as is, a Map only for more.
  const known = resolved.get(source);
  if (known instanceof Map) {
    const found = known.get(target);
    if (found) return found;
  } else if (known?.target === target) {
    return known;
  }
  const effective = resolve(source, target);
  if (known === undefined) resolved.set(source, effective);
  else if (known instanceof Map) known.set(target, effective);
  else resolved.set(source, new Map([[known.target, known], [target, effective]]));
  return effective;
}

const resolved = new WeakMap<ProductSource, EffectiveProduct | Map<string, EffectiveProduct>>();

function resolve(source: ProductSource, target: string): EffectiveProduct {
  const spec = source.spec;
  const block: Binding = Object.hasOwn(spec.targets, target) ? (spec.targets[target] ?? {}) : {};
  const override = <T>(field: (typeof OVERRIDABLE_FIELDS)[number], common: T | undefined): T | undefined =>
    Object.hasOwn(block, field) ? (block[field] as T) : common;
  const binding: Binding = {};
  for (const [key, value] of Object.entries(block)) {
    if (!(OVERRIDABLE_FIELDS as readonly string[]).includes(key)) binding[key] = value;
  }
  const effective: EffectiveProduct = {
    name: spec.name,
    displayName: override('displayName', spec.displayName) ?? spec.name,
    description: spec.description ?? '',
    status: override('status', spec.status) ?? PRODUCT_DEFAULTS.status,
    visibility: override('visibility', spec.visibility) ?? PRODUCT_DEFAULTS.visibility,
    access: override('access', spec.access) ?? PRODUCT_DEFAULTS.access,
    // Shared with the spec when the binding adds none: neither is changed once loaded.
    labels: block['labels'] === undefined ? (spec.labels ?? {}) : { ...(spec.labels ?? {}), ...(block['labels'] as Record<string, string>) },
    auth: override('auth', spec.auth) ?? [],
    plans: override('plans', spec.plans) ?? [],
    protected: spec.protected ?? false,
    binding,
    source,
    target,
  };
  if (spec.team !== undefined) effective.team = spec.team;
  return effective;
}
