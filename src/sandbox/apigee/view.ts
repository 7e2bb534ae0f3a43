import type { ApigeeAttribute, ApigeeFlavour, ApigeeStoredProduct } from './state.ts';

/** Fields only Apigee X has (reference §2); an Edge server never returns them. */
export const X_ONLY_FIELDS = [
  'operationGroup',
  'graphqlOperationGroup',
  'grpcOperationGroup',
  'llmOperationGroup',
  'quotaCounterScope',
  'space',
  'llmQuota',
  'llmQuotaInterval',
  'llmQuotaTimeUnit',
] as const;

/** Fields only Apigee Edge returns (reference §2: X has no createdBy / lastModifiedBy). */
export const EDGE_ONLY_FIELDS = ['createdBy', 'lastModifiedBy'] as const;

type Json = Record<string, unknown>;

const sortedKeys = (value: Json): Json => Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * proto3 JSON drops empty strings and lists, nested ones included ("X omits empties", reference §11).
 * One loop per object rather than entries → filter → fromEntries: a list page renders a thousand
 * products, one after the other on a plan's critical path (Apigee pages follow one another).
 */
function withoutEmpties(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpties);
  if (typeof value !== 'object' || value === null) return value;
  const kept: Json = {};
  for (const key of Object.keys(value)) {
    const field = (value as Json)[key];
    if (field === '' || (Array.isArray(field) && field.length === 0)) continue;
    // defineProperty, not assignment: an unmodelled `__proto__` field stays a field.
    if (key === '__proto__') Object.defineProperty(kept, key, { value: withoutEmpties(field), enumerable: true, writable: true, configurable: true });
    else kept[key] = withoutEmpties(field);
  }
  return kept;
}

/**
 * A stored product as the flavour returns it (reference §2). Edge: numeric ms timestamps,
 * createdBy/lastModifiedBy, every list present even when empty (apigee-client-php fixtures).
 * X: timestamps as int64 strings, no createdBy/lastModifiedBy, empty fields omitted.
 */
export function renderProduct(product: ApigeeStoredProduct, flavour: ApigeeFlavour): Json {
  if (flavour === 'edge') {
    const { unmodelled, ...modelled } = structuredClone(product);
    const copy: Json = { ...unmodelled, ...modelled };
    for (const field of X_ONLY_FIELDS) delete copy[field];
    return sortedKeys(copy);
  }
  // No structuredClone: withoutEmpties copies every object and list it keeps, so nothing of the
  // stored product is shared with the answer (a list page renders a thousand of these).
  const { unmodelled, ...modelled } = product;
  const copy: Json = { ...unmodelled, ...modelled };
  for (const field of EDGE_ONLY_FIELDS) delete copy[field];
  copy.createdAt = String(product.createdAt);
  copy.lastModifiedAt = String(product.lastModifiedAt);
  return sortedKeys(withoutEmpties(copy) as Json);
}

/** `{attribute: […]}` on both (cloud docs organizations.apiproducts/attributes; apigee-client-php attributes/POST.json). */
export function renderAttributes(attributes: readonly ApigeeAttribute[], flavour: ApigeeFlavour): unknown {
  const body = { attribute: attributes.map((attribute) => renderAttribute(attribute, flavour)) };
  return flavour === 'x' ? withoutEmpties(body) : body;
}

export function renderAttribute(attribute: ApigeeAttribute, flavour: ApigeeFlavour): unknown {
  const body = { name: attribute.name, value: attribute.value };
  return flavour === 'x' ? withoutEmpties(body) : body;
}

/** `GET …/apis`: Edge names, X `{proxies: [{name}]}` or `{}` (reference §11, provider wire.ts). */
export function renderProxyList(proxies: readonly string[], flavour: ApigeeFlavour): unknown {
  if (flavour === 'edge') return [...proxies];
  return proxies.length === 0 ? {} : { proxies: proxies.map((name) => ({ name })) };
}
