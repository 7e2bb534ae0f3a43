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
 * order, what it was when the view was written (a snapshot is kept and compared, snapshot.ts). The state's revision
 * (../revision.ts) would not be enough: tests and `sandbox serve` write products straight into the
 * state (`emulator.state.products.x.description = …`, an edit "in the UI"), which counts no change,
 * and the attribute and move handlers change a product in place.
 */
import { SerializedJson } from './http.ts';
import type { ApigeeFlavour, ApigeeStoredProduct } from './state.ts';
import { matchesSnapshot, snapshotOf, type Snapshot } from './snapshot.ts';
import { renderProduct } from './view.ts';

interface CachedView {
  flavour: ApigeeFlavour;
  /** The product's data when `bytes` were written. */
  snapshot: Snapshot;
  /** Its JSON, UTF-8: a page is these joined, with no string of the whole page to build and encode. */
  bytes: Buffer;
}

const views = new WeakMap<ApigeeStoredProduct, CachedView>();

/** `JSON.stringify(renderProduct(product, flavour))` in UTF-8, reused while the product is unchanged. */
function productJson(product: ApigeeStoredProduct, flavour: ApigeeFlavour): Buffer {
  const cached = views.get(product);
  if (cached && cached.flavour === flavour && matchesSnapshot(cached.snapshot, product)) return cached.bytes;
  const bytes = Buffer.from(JSON.stringify(renderProduct(product, flavour)));
  // Not plain data (never so from JSON or a state file): rendered every time, never cached.
  const snapshot = snapshotOf(product);
  if (snapshot === undefined) views.delete(product);
  else views.set(product, { flavour, snapshot, bytes });
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
