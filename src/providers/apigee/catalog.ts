/**
 * Reading and writing the catalog items of a run (portal.ts says what they are). One list per
 * portal per run (catalog-client.ts pages it), indexed by product; apply then writes only the
 * items whose fields differ: create, replace (every field read is sent back, since whether PUT
 * keeps omitted ones is not documented), delete.
 */
import type { ObjectAfter } from '../../model/plan.ts';
import type { ApiDocFields, ApigeeApiDoc, CatalogClient } from './catalog-client.ts';
import type { ApigeeState } from './mapping.ts';

/** Fields the server sets: never sent back. `visibility`/`edgeAPIProductName` are deprecated output the API still returns. */
const OUTPUT_ONLY = ['id', 'siteId', 'modified', 'visibility', 'edgeAPIProductName'];

export interface CatalogIndex {
  /** The portals read this run. */
  sites: Set<string>;
  /** Each product's catalog item: the lowest id when a product has several. */
  byProduct: Map<string, { site: string; item: ApigeeApiDoc }>;
  /** Every item of each product on the portals read, the one above included: all go before the product does. */
  allByProduct: Map<string, { site: string; item: ApigeeApiDoc }[]>;
}

export const emptyCatalog = (): CatalogIndex => ({ sites: new Set(), byProduct: new Map(), allByProduct: new Map() });

const byId = (a: ApigeeApiDoc, b: ApigeeApiDoc): number => Number(a.id) - Number(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Lists each portal once (concurrently) and adds its items to `index`. */
export async function readCatalog(client: CatalogClient, sites: readonly string[], index: CatalogIndex): Promise<void> {
  const fresh = sites.filter((site) => !index.sites.has(site));
  const lists = await Promise.all(fresh.map(async (site) => ({ site, items: await client.list(site) })));
  for (const { site, items } of lists) {
    index.sites.add(site);
    // A portal read again (to find an item just created) replaces what was read of it before.
    for (const [product, entries] of index.allByProduct) index.allByProduct.set(product, entries.filter((entry) => entry.site !== site));
    for (const item of [...items].sort(byId)) {
      if (typeof item.apiProductName !== 'string') continue;
      const all = index.allByProduct.get(item.apiProductName);
      if (all) all.push({ site, item });
      else index.allByProduct.set(item.apiProductName, [{ site, item }]);
      if (!index.byProduct.has(item.apiProductName)) index.byProduct.set(item.apiProductName, { site, item });
    }
  }
}

/** The fields Git wants on the catalog item of `key`, or undefined when the binding has no portal. */
function wantedFields(key: string, after: ObjectAfter): { site: string; fields: ApiDocFields } | undefined {
  const state = after.state as unknown as ApigeeState;
  if (!state.portal) return undefined;
  const { site, title, description, anonAllowed, specId } = state.portal;
  // A draft is in no portal; a published product's item is listed unless the binding says published: false.
  const published = after.status === 'published' && state.portalPublished === true;
  return { site, fields: { title, description, published, anonAllowed, apiProductName: key, ...(specId !== undefined ? { specId } : {}) } };
}

const differs = (item: ApigeeApiDoc, fields: ApiDocFields): boolean =>
  (item.title ?? '') !== fields.title ||
  (item.description ?? '') !== fields.description ||
  (item.published === true) !== fields.published ||
  (item.anonAllowed === true) !== fields.anonAllowed ||
  (fields.specId !== undefined && item.specId !== fields.specId);

/**
 * Makes the catalog item of product `key` what `after` says (nothing to do costs no request).
 * `recorded`: the portal where apiproducts wrote the product's item before (portal.ts
 * recordedSite); an item elsewhere was made by someone else and is never removed here.
 */
export async function syncCatalogItem(client: CatalogClient, index: CatalogIndex, key: string, after: ObjectAfter, recorded?: string): Promise<void> {
  const wanted = wantedFields(key, after);
  // A portal not read at observe (a change made without one) is read before anything is written there.
  if (wanted) await readCatalog(client, [wanted.site], index);
  const current = index.byProduct.get(key);
  if (current && current.site === wanted?.site) {
    if (!differs(current.item, wanted.fields)) return;
    const kept = Object.fromEntries(Object.entries(current.item).filter(([field]) => !OUTPUT_ONLY.includes(field)));
    await client.replace(current.site, current.item.id, { ...kept, ...wanted.fields });
    index.byProduct.set(key, { site: current.site, item: { ...current.item, ...wanted.fields } });
    return;
  }
  if (wanted) {
    const site = wanted.site;
    // After a lost answer: the lost try made it if the portal now lists an item for the product.
    const confirm = async (): Promise<boolean> => (await client.list(site)).some((item) => item.apiProductName === key);
    const created = await client.create(site, wanted.fields, confirm);
    if (created) {
      index.byProduct.set(key, { site, item: created });
      index.allByProduct.set(key, [...(index.allByProduct.get(key) ?? []), { site, item: created }]);
    } else {
      // No item in the answer (or confirmed after a lost one): read the portal again for its id,
      // so that a later change of this run updates it rather than making another.
      index.sites.delete(site);
      index.byProduct.delete(key);
      await readCatalog(client, [site], index);
    }
  }
  // The item left behind in another portal (the binding moved it, or dropped portal:), if it is ours.
  if (current && current.site === recorded) {
    await client.remove(current.site, current.item.id);
    if (!wanted) index.byProduct.delete(key);
    index.allByProduct.set(key, (index.allByProduct.get(key) ?? []).filter((entry) => entry.item.id !== current.item.id || entry.site !== current.site));
  }
}

/**
 * Before a product is deleted: every catalog item of it on the portals read, which would otherwise
 * link to nothing (the API refuses to delete a product an item links to, as the emulator does).
 */
export async function removeCatalogItem(client: CatalogClient, index: CatalogIndex, key: string): Promise<void> {
  for (const { site, item } of index.allByProduct.get(key) ?? []) await client.remove(site, item.id);
  index.byProduct.delete(key);
  index.allByProduct.delete(key);
}
