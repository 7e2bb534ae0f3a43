/**
 * The product list mapped to live objects page by page, while the next page is on its way: the
 * list is paged one page after another (startKey, client.ts), so mapping 10,000 products after
 * the last page left that work on the critical path of a plan. A page's products are mapped on
 * the next turn of the event loop, once the request for the page after it is under way; what is
 * still queued when observe() needs it is mapped then. Catalog items are read only after the
 * list (their portals depend on the desired states, portal.ts), so the few products that have
 * one are mapped again with it (mapping.ts toLiveObject).
 */
import type { LiveObject } from '../../model/objects.ts';
import { toLiveObject } from './mapping.ts';
import type { ApigeeProduct } from './wire.ts';

export interface LivePages {
  /** Queues the new products of a page (client.ts listProducts' `onPage`). */
  add(products: readonly ApigeeProduct[]): void;
  /** The live object of a listed product without a catalog item: mapped with its page, or now. */
  liveOf(product: ApigeeProduct): LiveObject;
}

export function createLivePages(owner: string | undefined): LivePages {
  const mapped = new Map<ApigeeProduct, LiveObject>();
  const queued: (readonly ApigeeProduct[])[] = [];
  const mapQueued = (): void => {
    for (let page = queued.shift(); page; page = queued.shift()) {
      for (const product of page) mapped.set(product, toLiveObject(product, owner));
    }
  };
  return {
    add(products) {
      queued.push(products);
      // After the microtasks that send the next page's request.
      setImmediate(mapQueued);
    },
    liveOf(product) {
      mapQueued();
      const known = mapped.get(product);
      if (known) return known;
      const live = toLiveObject(product, owner);
      mapped.set(product, live);
      return live;
    },
  };
}
