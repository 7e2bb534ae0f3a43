/**
 * Git products ↔ Apigee API products ↔ the normalised state plans compare (DESIGN §3). Pure: no I/O.
 *
 * One Apigee product per plan, named `<name>-<plan>` (just `<name>` without plans): a developer
 * app subscribes to products, so a plan IS a product there, and promoting a key from free to
 * premium is moving it between two products (reference: seed 003). A plan named `default`
 * (DEFAULT_PLAN) is the product's own: named `<name>`, displayed without ` (<plan>)`, so that a
 * product with a quota can keep its name (what `apiproducts import` writes for one).
 *
 * Normalised state (neutral words, like API7's, so a plan reads the same for every provider):
 *   displayName  ← `displayName` (absent = the name, as the Edge UI does); a plan's product shows
 *                  `<displayName> (<plan>)` so that developers can tell the tiers apart (not the
 *                  default plan's: DEFAULT_PLAN)
 *   description  ← `description` (absent = '')
 *   access       auto | approval ← `approvalType` auto | manual; Git `restricted` is `approval`
 *   visibility   public | private ← attribute `access`; ONLY while published. `access: internal`
 *                hides the product from every portal and is what a draft is (status, not state),
 *                so publish/unpublish flip that attribute and a second plan stays empty
 *   proxies, environments, resources (`apiResources`), scopes: sorted sets, absent = []
 *   quota        {limit, interval, timeUnit} ← `quota`/`quotaInterval`/`quotaTimeUnit` (strings on
 *                the wire, numbers here); from the plan's coarsest limit (plan-limits.ts)
 *   attributes   every other attribute: `team`, labels, the plan's other limits; the ownership
 *                attributes (ownership.ts) and `access` are not state
 *   operations   X: the operations of `operationGroup` (operations.ts), present only when there are
 *                some; each one's config `quota`/`attributes` as `operationQuota(…)` fields
 *                (operation-settings.ts), and `quotaCounterScope`: Git's when written, else kept
 *                at the live value (`ignore`)
 *   space        X: the Apigee Space, Git's when written, else kept at the live value (spaces.ts)
 *   portal, portalPublished  X: the product's integrated portal catalog item (portal.ts)
 * Read-only fields (createdAt/By, lastModifiedAt/By) never enter state and are never sent.
 */
import type { ObjectState } from '../../model/plan.ts';
import type { EffectiveProduct, PlanTier, ProductStatus } from '../../model/product.ts';
import type { DesiredObject, LiveObject } from '../../model/objects.ts';
import { isMarked, isMarkedProtected, isOwnedBy, lastAppliedOf, markerOwner, OPTIONAL_MARKER_ATTRIBUTES, OWNERSHIP_ATTRIBUTES, withoutOwnership } from './ownership.ts';
import { mapPlanLimits, type QuotaState } from './plan-limits.ts';
import { bindingEntries, bindingOperations, liveOperations, liveOperationSettings, type ApigeeOperation } from './operations.ts';
import { desiredApiOperations, liveApiOperations, type ApiOperationsState } from './api-operations.ts';
import { bindingSettings, settingsFields, stateSettings, type OperationSettings } from './operation-settings.ts';
import { ACCESS_ATTRIBUTE, NAME_ATTRIBUTE, TEAM_ATTRIBUTE, type ApigeeProduct } from './wire.ts';
import { desiredPortal, keptPortalFields, livePortal, PORTAL_SITE_ATTRIBUTE, type PortalFields } from './portal.ts';
import type { ApigeeApiDoc } from './catalog-client.ts';
import { sortedUnique } from '../sorted-unique.ts';

export interface ApigeeState extends ApiOperationsState, PortalFields {
  displayName: string;
  description: string;
  access: 'auto' | 'approval';
  /** Present only while published. */
  visibility?: string;
  proxies: string[];
  environments: string[];
  resources: string[];
  scopes: string[];
  quota?: QuotaState;
  attributes: Record<string, string>;
  /** X operation group; absent when there are none. */
  operations?: ApigeeOperation[];
  /** X: PROXY | OPERATION | PRODUCT, present only when live has one or Git writes one. */
  quotaCounterScope?: string;
  /** X: the Apigee Space, present only when live has one or Git writes one (spaces.ts). */
  space?: string;
  /** X: `operationQuota(…)` and `operationAttributes(…)` per operation (operation-settings.ts). */
  [operationSetting: `operation${'Quota' | 'Attributes'}(${string})`]: unknown;
}

/** Attribute names apiproducts writes itself: a label may not take them. */
export const RESERVED_ATTRIBUTES: readonly string[] = [...OWNERSHIP_ATTRIBUTES, ...OPTIONAL_MARKER_ATTRIBUTES, ACCESS_ATTRIBUTE, PORTAL_SITE_ATTRIBUTE];
const INTERNAL = 'internal';

/** A list of strings, distinct and sorted; most lists on both sides are strings already. */
const stringList = (value: unknown): string[] => (!Array.isArray(value) ? [] : sortedUnique(value.every((item) => typeof item === 'string') ? (value as string[]) : value.map(String)));

/**
 * The plan whose Apigee product is the product itself: named `<name>` (not `<name>-default`) and
 * shown without a ` (default)` suffix. Other plans of the same product are `<name>-<plan>` as usual.
 * This is how a live product with a quota keeps its own name in Git (`apiproducts import`).
 */
export const DEFAULT_PLAN = 'default';

/** Whether the plan's product carries the plan's name (`<name>-<plan>`, `<displayName> (<plan>)`). */
const suffixed = (plan: PlanTier | undefined): plan is PlanTier => plan !== undefined && plan.name !== DEFAULT_PLAN;

/** The Apigee product name of a product's plan (DESIGN §3): `<name>` without plans or for the default plan. */
export function objectKey(productName: string, plan?: PlanTier): string {
  return suffixed(plan) ? `${productName}-${plan.name}` : productName;
}

/**
 * The `access` attribute a PUBLISHED product gets (`internal` is a draft, desiredStatus): `public`
 * is listed on the portals; everything else is `private`, listed nowhere, which an admin can still
 * add to a chosen developer's app (reference §2.1). So `unlisted` and `restricted` (invite-only)
 * are `private`. `logged-in` has no Apigee meaning: written, it is a validation error; as the
 * default (a product that says nothing must not be exposed) it is `private` too.
 */
export function portalAccess(product: EffectiveProduct): string {
  return product.visibility === 'public' && product.access !== 'restricted' ? 'public' : 'private';
}

/** Draft, or `visibility: internal` (hidden from every portal): both are the `internal` attribute. */
export function desiredStatus(product: EffectiveProduct): ProductStatus {
  return product.status === 'draft' || product.visibility === INTERNAL ? 'draft' : 'published';
}

/** Labels and team as attributes, without the names apiproducts writes itself. */
export function productAttributes(product: EffectiveProduct): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(product.labels)) {
    if (!RESERVED_ATTRIBUTES.includes(name)) attributes[name] = String(value);
  }
  if (product.team !== undefined) attributes[TEAM_ATTRIBUTE] = product.team;
  return attributes;
}

export function desiredState(product: EffectiveProduct, plan?: PlanTier): ApigeeState {
  const binding = product.binding;
  const limits = plan ? mapPlanLimits(plan.limits) : { attributes: {} };
  const state: ApigeeState = {
    displayName: suffixed(plan) ? `${product.displayName} (${plan.name})` : product.displayName,
    description: product.description,
    access: product.access === 'auto' ? 'auto' : 'approval',
    proxies: stringList(binding.proxies),
    environments: stringList(binding.environments),
    resources: stringList(binding.resources),
    scopes: stringList(binding.scopes),
    attributes: { ...productAttributes(product), ...limits.attributes },
  };
  if (desiredStatus(product) === 'published') state.visibility = portalAccess(product);
  if (limits.quota) state.quota = limits.quota;
  const operations = bindingOperations(binding.operations);
  if (operations.length > 0) state.operations = operations;
  if (typeof binding.quotaCounterScope === 'string') state.quotaCounterScope = binding.quotaCounterScope;
  if (typeof binding.space === 'string') state.space = binding.space;
  for (const { operation, entry } of bindingEntries(binding.operations)) Object.assign(state, settingsFields(operation, bindingSettings(entry, operation).settings));
  Object.assign(state, desiredApiOperations(binding).state);
  Object.assign(state, desiredPortal(binding.portal, state.displayName, state.description, state.visibility !== undefined));
  return state;
}

/**
 * The state fields Git leaves at their live value ("absent is not default", as API7's auth
 * options): a `quotaCounterScope` Git does not write is the portal's, neither compared nor changed.
 * A top-level field, so keeping it never leaves an empty parent in the state (and fingerprint).
 */
function keptFields(product: EffectiveProduct): string[] {
  const operationSettings = bindingEntries(product.binding.operations).flatMap(({ operation, entry }) => bindingSettings(entry, operation).kept);
  const unwritten = ['quotaCounterScope', 'space'].filter((field) => product.binding[field] === undefined);
  return [...unwritten, ...keptPortalFields(product.binding.portal), ...operationSettings, ...desiredApiOperations(product.binding).kept];
}

/** An operation's quota and attributes in a state (after the planner kept the ones Git leaves to live). */
export const operationSettingsOf = (state: ApigeeState) => (operation: ApigeeOperation): OperationSettings => stateSettings(state as unknown as Record<string, unknown>, operation);

/** The objects a product becomes: one per plan, or one for the product without plans. */
export function toDesiredObjects(product: EffectiveProduct): DesiredObject[] {
  const plans: (PlanTier | undefined)[] = product.plans.length > 0 ? product.plans : [undefined];
  const kept = keptFields(product);
  return plans.map((plan) => ({
    key: objectKey(product.name, plan),
    product: product.name,
    status: desiredStatus(product),
    state: desiredState(product, plan) as unknown as ObjectState,
    protected: product.protected,
    ...(kept.length > 0 ? { ignore: kept } : {}),
    ...(product.binding.adopt === true ? { adopt: true } : {}),
    ...(typeof product.binding.adoptFrom === 'string' ? { adoptFrom: product.binding.adoptFrom } : {}),
    locate: () => product.source.locate(['targets', product.target]),
  }));
}

// ── live → state ────────────────────────────────────────────────────────────────────────────

/** Attributes as a map; on a repeated name the last one wins, as the server's own lookup does. */
export function attributeMap(product: ApigeeProduct): Record<string, string> {
  const map: Record<string, string> = {};
  for (const attribute of product.attributes ?? []) map[attribute.name] = String(attribute.value ?? '');
  return map;
}

/** `"1000"` → 1000; anything else stays as written so the plan shows it as a difference. */
function quotaNumber(value: string | number | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const text = String(value).trim();
  return /^\d+$/.test(text) ? Number(text) : (text as unknown as number);
}

function liveQuota(product: ApigeeProduct): QuotaState | undefined {
  if (product.quota === undefined || product.quota === '') return undefined;
  return {
    limit: quotaNumber(product.quota, 0),
    // The Edge UI's default interval is 1.
    interval: quotaNumber(product.quotaInterval, 1),
    timeUnit: product.quotaTimeUnit ?? '',
  };
}

export function isOwned(product: ApigeeProduct, owner?: string): boolean {
  return isOwnedBy(attributeMap(product), owner);
}

/** A missing `access` attribute is public (what the Drupal portal assumes, reference §2.1). `attributes`: attributeMap(product). */
function liveStatus(attributes: Record<string, string>): ProductStatus {
  return (attributes[ACCESS_ATTRIBUTE] ?? 'public').trim().toLowerCase() === INTERNAL ? 'draft' : 'published';
}

/**
 * `all`: attributeMap(product), read once by toLiveObject. `catalogItem`: the product's catalog
 * item on an integrated portal, when observe read one (catalog.ts).
 */
function liveState(product: ApigeeProduct, all: Record<string, string>, catalogItem?: { site: string; item: ApigeeApiDoc }): ApigeeState {
  const { [ACCESS_ATTRIBUTE]: access, [PORTAL_SITE_ATTRIBUTE]: _portalSite, ...attributes } = withoutOwnership(all);
  const state: ApigeeState = {
    displayName: product.displayName || product.name,
    description: product.description ?? '',
    // Manual is the safe reading of a missing approvalType (Edge requires one anyway).
    access: product.approvalType === 'auto' ? 'auto' : 'approval',
    proxies: stringList(product.proxies),
    environments: stringList(product.environments),
    resources: stringList(product.apiResources),
    scopes: stringList(product.scopes),
    attributes,
  };
  if (liveStatus(all) === 'published') state.visibility = (access ?? 'public').trim().toLowerCase();
  const quota = liveQuota(product);
  if (quota) state.quota = quota;
  const operations = liveOperations(product.operationGroup);
  if (operations.length > 0) state.operations = operations;
  for (const { operation, settings } of liveOperationSettings(product.operationGroup).values()) Object.assign(state, settingsFields(operation, settings));
  Object.assign(state, liveApiOperations(product));
  // QUOTA_COUNTER_SCOPE_UNSPECIFIED is the enum's "not set" (reference §2): no scope, as absent is.
  if (typeof product.quotaCounterScope === 'string' && product.quotaCounterScope !== '' && product.quotaCounterScope !== 'QUOTA_COUNTER_SCOPE_UNSPECIFIED') state.quotaCounterScope = product.quotaCounterScope;
  if (typeof product.space === 'string' && product.space !== '') state.space = product.space;
  Object.assign(state, livePortal(catalogItem, state.visibility !== undefined));
  return state;
}

/**
 * Keyed by the Apigee name, owned or not: a Git product colliding with an unowned one is seen.
 * `owner`: the configuration's `owner:`; a product marked for another owner is `managedBy` it.
 */
export function toLiveObject(product: ApigeeProduct, owner?: string, catalogItem?: { site: string; item: ApigeeApiDoc }): LiveObject {
  const attributes = attributeMap(product);
  const marked = isMarked(attributes);
  const owned = isOwnedBy(attributes, owner);
  const lastApplied = lastAppliedOf(attributes);
  return {
    key: product.name,
    owned,
    ...(marked && !owned ? { managedBy: markerOwner(attributes) ?? '' } : {}),
    ...(marked ? { product: attributes[NAME_ATTRIBUTE] || product.name } : {}),
    ...(isMarkedProtected(attributes) ? { protected: true } : {}),
    status: liveStatus(attributes),
    state: liveState(product, attributes, catalogItem) as unknown as ObjectState,
    ...(lastApplied ? { lastApplied } : {}),
    ref: { name: product.name },
    ...createdAtOf(product.createdAt),
  };
}

/** `createdAt` is ms since the epoch, a number on Edge and an int64 string on X (reference §2): both read. */
function createdAtOf(millis: number | string | undefined): { createdAt?: string } {
  const value = typeof millis === 'string' && /^\d+$/.test(millis) ? Number(millis) : millis;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? { createdAt: new Date(value).toISOString() } : {};
}
