/**
 * The body of `GET …/apiproducts` (reference §3), written as UTF-8 JSON from each product's
 * serialized view, and those views kept between listings.
 *
 * Why: Apigee's pages follow one another (each `startKey` is the previous page's last name), so
 * whatever the emulator spends on a page lies on a plan's critical path. Rendering 1,000 expanded
 * products and serializing the page (about 1 MB) cost 8–15 ms of CPU a page, and the bench runs
 * the emulator on the same two cores as the CLI it times: a 10,000-product plan's pages came
 * 10–45 ms later than the latency alone (bench/profile-plan.ts). A real server's own time is not
 * part of a plan's network floor; reusing the views costs about 1–2 ms per 1,000 products.
 *
 * Never stale: a view is reused only while its product is, field for field and in the same key
 * order, what it was when the view was written (a copy is kept and compared). The state's revision
 * (../revision.ts) would not be enough: tests and `sandbox serve` write products straight into the
 * state (`emulator.state.products.x.description = …`, an edit "in the UI"), which counts no change,
 * and the attribute and move handlers change a product in place.
 */
import { SerializedJson } from './http.ts';
import type { ApigeeFlavour, ApigeeStoredProduct } from './state.ts';
import { renderProduct } from './view.ts';

interface CachedView {
  flavour: ApigeeFlavour;
  /** The product's data when `bytes` were written. */
  copy: unknown;
  /** Its JSON, UTF-8: a page is these joined, with no string of the whole page to build and encode. */
  bytes: Buffer;
}

const views = new WeakMap<ApigeeStoredProduct, CachedView>();

/** Not plain JSON-like data (a class instance, a function, a bigint): such a product is rendered every time. */
const UNCOPIED = Symbol('uncopied');

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A deep copy of plain data (objects, arrays, primitives), keys in the same order; UNCOPIED for anything else. */
function copyOf(value: unknown): unknown {
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return UNCOPIED;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const copied = copyOf(item);
      if (copied === UNCOPIED) return UNCOPIED;
      items.push(copied);
    }
    return items;
  }
  if (!isPlainObject(value)) return UNCOPIED;
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copied = copyOf((value as Record<string, unknown>)[key]);
    if (copied === UNCOPIED) return UNCOPIED;
    // defineProperty, not assignment, for `__proto__`: it stays a field instead of setting the prototype.
    if (key === '__proto__') Object.defineProperty(fields, key, { value: copied, enumerable: true, writable: true, configurable: true });
    else fields[key] = copied;
  }
  return fields;
}

/** Whether `value` is still exactly `copy`: the same keys in the same order, the same values (Object.is). */
function unchanged(copy: unknown, value: unknown): boolean {
  if (typeof copy !== 'object' || copy === null) return Object.is(copy, value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(copy)) {
    if (!Array.isArray(value) || value.length !== copy.length) return false;
    for (let i = 0; i < copy.length; i++) if (!unchanged(copy[i], value[i])) return false;
    return true;
  }
  if (Array.isArray(value) || !isPlainObject(value)) return false;
  const copyKeys = Object.keys(copy);
  const keys = Object.keys(value);
  if (keys.length !== copyKeys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key !== copyKeys[i] || !unchanged((copy as Record<string, unknown>)[key], (value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** `JSON.stringify(renderProduct(product, flavour))` in UTF-8, reused while the product is unchanged. */
function productJson(product: ApigeeStoredProduct, flavour: ApigeeFlavour): Buffer {
  const cached = views.get(product);
  if (cached && cached.flavour === flavour && unchanged(cached.copy, product)) return cached.bytes;
  const bytes = Buffer.from(JSON.stringify(renderProduct(product, flavour)));
  const copy = copyOf(product);
  if (copy === UNCOPIED) views.delete(product);
  else views.set(product, { flavour, copy, bytes });
  return bytes;
}

const LIST_START = Buffer.from('{"apiProduct":[');
const COMMA = Buffer.from(',');
const LIST_END = Buffer.from(']}');

/**
 * `GET …/apiproducts`: Edge names, X `{apiProduct: [{name}]}`; expanded, `{apiProduct: […]}` on
 * both; an empty X list is `{}`, proto3 JSON omitting the empty repeated field (reference §3, [I]).
 */
export function renderProductList(products: readonly ApigeeStoredProduct[], flavour: ApigeeFlavour, expand: boolean): unknown {
  if (flavour === 'edge' && !expand) return products.map((product) => product.name);
  if (flavour === 'x' && products.length === 0) return {};
  if (!expand) return { apiProduct: products.map((product) => ({ name: product.name })) };
  const parts: Buffer[] = [LIST_START];
  for (const [index, product] of products.entries()) {
    if (index > 0) parts.push(COMMA);
    parts.push(productJson(product, flavour));
  }
  parts.push(LIST_END);
  return new SerializedJson(Buffer.concat(parts));
}
