/**
 * The integrated portal catalog item of an Apigee X product, as normalised state (issue 18 item 3).
 * On an integrated portal a product reaches developers only through a catalog item
 * (`organizations/{org}/sites/{site}/apidocs`, reference "Round 2"; catalog-client.ts), so a
 * binding may declare one:
 *
 *   portal: {site, published?, anonAllowed?, title?, description?, spec?}
 *
 * State (top-level fields, so that the planner's rules apply to them as to `visibility`):
 *   portal           {site, title, description, anonAllowed, specId?} ← the catalog item whose
 *                    `apiProductName` is the product; title and description default to the
 *                    product's displayName and description; anonAllowed to false (not anonymous);
 *                    specId only when Git writes `spec` (else the live one is kept, `ignore`)
 *   portalPublished  ← `published`; present only while the product is published (a draft is in no
 *                    portal: its catalog item is unpublished with it), default true
 * The site is also recorded on the product as attribute `apiproducts-portal-site`, so that a
 * later run still reads that portal when Git no longer names it, and can remove the item.
 */
import type { ObjectState } from '../../model/plan.ts';
import type { FieldChange } from '../../model/plan.ts';
import type { ApigeeApiDoc } from './catalog-client.ts';
import type { ApigeeProduct } from './wire.ts';

export const PORTAL_SITE_ATTRIBUTE = 'apiproducts-portal-site';

export interface PortalState {
  site: string;
  title: string;
  description: string;
  anonAllowed: boolean;
  specId?: string;
}

export interface PortalFields {
  portal?: PortalState;
  portalPublished?: boolean;
}

/** The binding key (schema.ts). */
export const PORTAL_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['site'],
  description: 'Apigee X integrated portal: the catalog item that lists this product on the portal (organizations/{org}/sites/{site}/apidocs).',
  properties: {
    site: { type: 'string', minLength: 1, description: 'The portal\'s site id (as in organizations/{org}/sites/{site}).' },
    published: { type: 'boolean', description: 'Listed on the portal while the product is published (default true).' },
    anonAllowed: { type: 'boolean', description: 'Visible to anonymous visitors of the portal (default false).' },
    title: { type: 'string', minLength: 1, maxLength: 255, description: 'Catalog item title (default: the product\'s displayName).' },
    description: { type: 'string', maxLength: 10000, description: 'Catalog item description (default: the product\'s description).' },
    spec: { type: 'string', minLength: 1, description: 'The id of the API spec the catalog item documents (specId). Absent: the live one is kept.' },
  },
} as const;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Git's catalog item for a product with this displayName and description; nothing without `portal:`. */
export function desiredPortal(binding: unknown, displayName: string, description: string, published: boolean): PortalFields {
  if (!isObject(binding) || typeof binding.site !== 'string') return {};
  const portal: PortalState = {
    site: binding.site,
    title: typeof binding.title === 'string' ? binding.title : displayName,
    description: typeof binding.description === 'string' ? binding.description : description,
    anonAllowed: binding.anonAllowed === true,
    ...(typeof binding.spec === 'string' ? { specId: binding.spec } : {}),
  };
  return { portal, ...(published ? { portalPublished: binding.published !== false } : {}) };
}

/** The binding's `portal:` for a live catalog item (import): only what differs from the defaults. */
export function portalBinding(portal: PortalState, published: boolean | undefined, displayName: string, description: string): Record<string, unknown> {
  return {
    site: portal.site,
    ...(published === false ? { published: false } : {}),
    ...(portal.anonAllowed ? { anonAllowed: true } : {}),
    ...(portal.title !== displayName ? { title: portal.title } : {}),
    ...(portal.description !== description ? { description: portal.description } : {}),
    ...(portal.specId !== undefined ? { spec: portal.specId } : {}),
  };
}

/** State fields Git leaves at their live value: the spec when the binding names none. */
export function keptPortalFields(binding: unknown): string[] {
  return isObject(binding) && binding.spec === undefined ? ['portal.specId'] : [];
}

/** The live catalog item as state; `published`: the product's own status. */
export function livePortal(found: { site: string; item: ApigeeApiDoc } | undefined, published: boolean): PortalFields {
  if (!found) return {};
  const { site, item } = found;
  const portal: PortalState = {
    site,
    title: item.title ?? '',
    description: item.description ?? '',
    anonAllowed: item.anonAllowed === true,
    ...(typeof item.specId === 'string' && item.specId !== '' ? { specId: item.specId } : {}),
  };
  return { portal, ...(published ? { portalPublished: item.published === true } : {}) };
}

/**
 * The portals to read: those the compared states name, and those owned products record. Sorted,
 * each once: one list (all pages) per portal per run, never one request per product.
 */
export function portalSites(states: readonly ObjectState[], products: readonly ApigeeProduct[], owned: (product: ApigeeProduct) => boolean): string[] {
  const sites = new Set<string>();
  for (const state of states) {
    const portal = (state as PortalFields).portal;
    if (portal && typeof portal.site === 'string') sites.add(portal.site);
  }
  for (const product of products) {
    if (!owned(product)) continue;
    const recorded = recordedSite(product);
    if (recorded) sites.add(recorded);
  }
  return [...sites].sort();
}

/** The portal where apiproducts wrote the product's catalog item (its `apiproducts-portal-site`), if any. */
export function recordedSite(product: ApigeeProduct | undefined): string | undefined {
  return (product?.attributes ?? []).find((attribute) => attribute.name === PORTAL_SITE_ATTRIBUTE)?.value || undefined;
}

/**
 * Whether a catalog item read on `site` is the product's as far as the plan goes: apiproducts wrote
 * it there (the recorded site), or Git wants the product's item there (then one made by hand is
 * taken over, never duplicated). An item someone made for a product Git does not list on any
 * portal is left alone: not part of its state, never updated or deleted.
 */
export function claimsItem(product: ApigeeProduct, site: string, wanted: ReadonlySet<string> | undefined): boolean {
  return recordedSite(product) === site || wanted?.has(site) === true;
}

/** The portal sites each compared object names, by key. */
export function wantedSites(objects: readonly { key: string; state: ObjectState }[]): Map<string, Set<string>> {
  const sites = new Map<string, Set<string>>();
  for (const { key, state } of objects) {
    const site = (state as PortalFields).portal?.site;
    if (typeof site === 'string') sites.get(key)?.add(site) ?? sites.set(key, new Set([site]));
  }
  return sites;
}

/**
 * Why a field change is high risk for a product that stays published (ProviderKind.fieldRisk):
 * the catalog item is how developers find the product on the portal, as a published API7 product is.
 */
export function portalRisk(field: FieldChange): string | undefined {
  const gone = 'developers no longer find the product on that portal or add it to new apps (apps that already hold keys keep calling its APIs)';
  if (field.path === 'portalPublished' && field.before === true && field.after !== true) return `unpublishes the product's catalog item on its integrated portal: ${gone}`;
  if (field.path === 'portal' && field.before !== undefined && field.after === undefined) return `deletes the product's catalog item from portal ${String((field.before as PortalState).site)}: ${gone}`;
  if (field.path === 'portal.site') return `moves the catalog item from portal ${String(field.before)} to ${String(field.after)}: it is deleted from ${String(field.before)}, where ${gone}`;
  return undefined;
}
