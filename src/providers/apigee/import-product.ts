/**
 * Apigee live objects → product documents, for `apiproducts import`: the reverse of mapping.ts, so
 * that a document, loaded and planned against the objects it came from, shows no changes (an
 * unowned object shows only its adoption).
 *
 *   key                       → name. An owned plan's product (attribute `apiproducts-name: N`, key
 *                               `N-<plan>`, display name `<displayName> (<plan>)`, a quota) → name
 *                               N with that plan, the ` (<plan>)` suffix stripped; importing the
 *                               plans of N together (importApigeeObjects) gives back ONE product N
 *   displayName, description  → the same (an empty description is left out)
 *   attribute `access`        → status: draft when `internal`, else published with visibility
 *                               public | private (a draft stores no visibility: none is written)
 *   approvalType              → access auto | approval
 *   quota + limit attributes  → the binding's `plans`: the quota is the plan's coarsest limit,
 *                               `quota-perSecond`…`quota-perDay` its finer ones, `spike-arrest-burst`
 *                               its burst. The plan is named `default` (DEFAULT_PLAN: its product
 *                               is `<name>` itself) unless it is an owned plan's product as above
 *   attribute `team`          → team; every other attribute → labels
 *   proxies, environments, apiResources, scopes → binding proxies, environments, resources, scopes
 *                               (neither proxies nor resources nor operations → `unbounded: true`, as it is)
 *   operationGroup (X)        → binding operations (operations.ts); bounded, like proxies
 *   not owned                 → binding `adopt: true`
 *   another owner's           → binding `adoptFrom: <that owner>` (import --adopt-from)
 * What a document cannot say exactly (a quota over 5 minutes, a limit attribute no plan would write,
 * an `access` attribute apiproducts does not know) is imported as close as it can be, with a warning
 * that names what the next plan changes. Pure: no I/O.
 */
import { portalBinding } from './portal.ts';
import { canonicalJson } from '../../model/fingerprint.ts';
import type { Binding, PlanLimits, PlanTier, ProductSpec } from '../../model/product.ts';
import type { TargetConfig } from '../../model/target.ts';
import type { ImportedProduct, LiveObject } from '../../model/objects.ts';
import { DEFAULT_PLAN, operationSettingsOf, type ApigeeState } from './mapping.ts';
import { settingsEntry } from './operation-settings.ts';
import { apiOperationEntries } from './api-operations.ts';
import { operationEntry } from './operations.ts';
import { markerAttributeCount } from './ownership.ts';
import { markerFor } from '../../model/objects.ts';
import { BURST_ATTRIBUTE, limitAttribute, type QuotaState } from './plan-limits.ts';
import { resourcePathProblem } from './validate-binding.ts';
import { MAX_ATTRIBUTES, TEAM_ATTRIBUTE } from './wire.ts';


type RateLimit = Exclude<keyof PlanLimits, 'burst'>;

/** Rate limits from the coarsest to the finest, with the quota unit each counts in (as plan-limits.ts). */
const RATES: readonly { limit: RateLimit; unit?: string }[] = [
  { limit: 'perMonth', unit: 'month' },
  { limit: 'perDay', unit: 'day' },
  { limit: 'perHour', unit: 'hour' },
  { limit: 'perMinute', unit: 'minute' },
  { limit: 'perSecond' },
];
/** Quota windows that are exactly one coarser unit: `60 minute` counts what `1 hour` counts. */
const SAME_WINDOW: Record<string, Record<number, string>> = { minute: { 60: 'hour', 1440: 'day' }, hour: { 24: 'day' } };
/** The product and plan name pattern of schemas/product.schema.json. */
const IDENTIFIER = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const IGNORE_HINT = "or add quota to the target's ignore list to leave the live quota as it is";

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
/** An attribute a plan limit writes back identically: `String(n)` of a positive whole number. */
const countText = (value: string): number | undefined => (/^[1-9]\d*$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : undefined);
const limitFor = (unit: string): RateLimit | undefined => RATES.find((rate) => rate.unit === unit)?.limit;
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One live object read as (part of) a product document. */
interface Reading {
  live: LiveObject;
  /** name … labels; no `targets`. */
  spec: ProductSpec;
  /** proxies … unbounded; no `plans`, no `adopt`. */
  binding: Binding;
  plan?: PlanTier;
  warnings: string[];
  /** The attributes its state writes (labels, team, limits, the portal's site): the marker and `access` come on top. */
  attributes: number;
}

/** The live quota as one plan limit: exact, or the closest one with a warning saying what changes. */
function readQuota(quota: QuotaState, warn: (message: string) => void): { limit: RateLimit; value: number } | undefined {
  const { limit, interval, timeUnit } = quota;
  const shown = `${String(limit)} per ${String(interval)} ${timeUnit}`;
  const own = limitFor(timeUnit);
  if (!isCount(limit) || !isCount(interval) || !own) {
    warn(`its quota (${shown}) is not a whole number of requests per minute, hour, day or month, so no plan can hold it: it is imported without a plan and the next plan removes the quota; add a plan before applying, ${IGNORE_HINT}`);
    return undefined;
  }
  if (interval === 1) return { limit: own, value: limit };
  const window = SAME_WINDOW[timeUnit]?.[interval];
  const wide = window ? limitFor(window) : undefined;
  if (window && wide) {
    warn(`its quota counts ${shown}s, the same window as 1 ${window}: imported as ${wide}: ${limit}, so the next plan rewrites the quota as ${limit} per 1 ${window} (the same allowance)`);
    return { limit: wide, value: limit };
  }
  const value = Math.max(1, Math.floor(limit / interval));
  const how = value * interval === limit ? 'the same average rate' : limit < interval ? 'rounded up to 1' : 'the average rate, rounded down';
  warn(`its quota (${shown}s) counts over ${interval} ${timeUnit}s and a plan limit counts over 1 minute, hour, day or month: imported as ${own}: ${value} (${how}), so the next plan changes the quota from ${shown} to ${value} per 1 ${timeUnit}; edit the plan before applying, ${IGNORE_HINT}`);
  return { limit: own, value };
}

/**
 * The plan limits the quota and the limit attributes say, and the attributes left for team and
 * labels. A limit attribute no plan would write as it is (no quota, not a count, not finer than the
 * quota) cannot be a label either (validate reserves the name): it is left out, with a warning.
 */
function readLimits(state: ApigeeState, warn: (message: string) => void): { limits?: PlanLimits; attributes: Record<string, string>; dropped: number } {
  const quota = state.quota ? readQuota(state.quota, warn) : undefined;
  const quotaRank = quota ? RATES.findIndex((rate) => rate.limit === quota.limit) : -1;
  const limits: PlanLimits = quota ? { [quota.limit]: quota.value } : {};
  const attributes: Record<string, string> = {};
  let dropped = 0;
  for (const [name, value] of Object.entries(state.attributes)) {
    const rate = RATES.find((candidate) => limitAttribute(candidate.limit) === name);
    if (!rate && name !== BURST_ATTRIBUTE) {
      attributes[name] = value;
      continue;
    }
    const count = countText(value);
    const why = !quota
      ? 'is a plan limit apiproducts writes next to a quota, and no plan can hold it without one'
      : count === undefined
        ? 'is not a whole number of requests, as a plan limit is'
        : rate && RATES.indexOf(rate) <= quotaRank
          ? `is not finer than the quota (per ${RATES[quotaRank]?.unit ?? ''}), as a plan's other limits are`
          : undefined;
    if (why !== undefined || count === undefined) {
      dropped += 1;
      warn(`attribute ${name}: "${value}" ${why ?? ''}; a label may not take its name, so it is left out and the next plan removes it`);
      continue;
    }
    limits[rate ? rate.limit : 'burst'] = count;
  }
  return quota ? { limits, attributes, dropped } : { attributes, dropped };
}

/** Reads a live object as the product `name`; with a quota, as its plan `planName`. */
function readAs(live: LiveObject, name: string, planName: string): Reading {
  const state = live.state as unknown as ApigeeState;
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
  };
  const { limits, attributes, dropped } = readLimits(state, warn);
  const { [TEAM_ATTRIBUTE]: team, ...labels } = attributes;
  const suffix = ` (${planName})`;
  const plain = planName !== DEFAULT_PLAN && state.displayName.endsWith(suffix) ? state.displayName.slice(0, -suffix.length) : state.displayName;

  const spec: ProductSpec = { name, displayName: plain } as ProductSpec;
  if (state.description !== '') spec.description = state.description;
  spec.status = live.status;
  if (live.status === 'published') {
    const visibility = state.visibility ?? 'public';
    spec.visibility = visibility === 'public' ? 'public' : 'private';
    if (visibility !== 'public' && visibility !== 'private') {
      warn(`its access attribute is "${visibility}", which apiproducts does not write (public, private or internal): imported as visibility: private, so the next plan changes visibility from "${visibility}" to private`);
    }
  }
  spec.access = state.access === 'auto' ? 'auto' : 'approval';
  // An empty team stays a label: `team` must be a non-empty name.
  if (team) spec.team = team;
  const otherLabels = team === '' ? { ...labels, team } : labels;
  if (Object.keys(otherLabels).length > 0) spec.labels = Object.fromEntries(Object.entries(otherLabels).sort(([a], [b]) => compare(a, b)));

  const binding: Binding = {};
  for (const [key, values] of [['proxies', state.proxies], ['environments', state.environments], ['resources', state.resources], ['scopes', state.scopes]] as const) {
    if (values.length > 0) binding[key] = [...values];
  }
  const operations = state.operations ?? [];
  // Each operation with its config's quota and attributes, when it has some (operation-settings.ts).
  const settings = operationSettingsOf(state);
  if (operations.length > 0) binding.operations = operations.map((operation) => ({ ...operationEntry(operation), ...settingsEntry(settings(operation)) }));
  if (state.quotaCounterScope !== undefined) binding.quotaCounterScope = state.quotaCounterScope;
  if (state.space !== undefined) binding.space = state.space;
  if (state.portal) binding.portal = portalBinding(state.portal, state.portalPublished, state.displayName, state.description);
  Object.assign(binding, apiOperationEntries(state));
  if (state.proxies.length === 0 && state.resources.length === 0 && operations.length === 0 && !state.graphqlOperations && !state.grpcOperations) {
    binding.unbounded = true;
    warn('it lists no proxies, no resources and no operations, so its app keys reach every API proxy in the organization: imported with unbounded: true, which keeps it so; list proxies or resources to narrow it');
  }
  for (const path of state.resources) {
    const problem = resourcePathProblem(path);
    if (problem) warn(`resource path "${path}" is not one validate accepts (${problem}); write it as Apigee matches it, and the next plan shows resources changing`);
  }
  const written = Object.keys(state.attributes).length - dropped + (state.portal ? 1 : 0);
  return { live, spec, binding, ...(limits ? { plan: { name: planName, limits } } : {}), warnings, attributes: written };
}

/**
 * Whether an owned object reads back as plan `<plan>` of the Git product named by its
 * `apiproducts-name`, as mapping.ts writes one: key `<name>-<plan>`, display name ending in
 * ` (<plan>)`, a quota a plan can hold. Otherwise why not (undefined when it does not claim to be one).
 */
function asPlanOf(live: LiveObject): { reading: Reading } | { why: string } | undefined {
  const product = live.product;
  // Another owner's plans group as ours do: adopting them takes the product back whole.
  if (!(live.owned || live.managedBy !== undefined) || !product || product === live.key || !live.key.startsWith(`${product}-`)) return undefined;
  const plan = live.key.slice(product.length + 1);
  const state = live.state as unknown as ApigeeState;
  const suffix = ` (${plan})`;
  if (!IDENTIFIER.test(product) || !IDENTIFIER.test(plan) || plan === DEFAULT_PLAN) return { why: `"${plan}" is not a plan name it could have` };
  if (!state.displayName.endsWith(suffix) || state.displayName.length === suffix.length) return { why: `its display name does not end in "${suffix}" as that plan's does` };
  const reading = readAs(live, product, plan);
  return reading.plan ? { reading } : { why: 'it has no quota a plan can hold' };
}

/** The object as a product of its own, named by its key (with a default plan when it has a quota). */
function standalone(live: LiveObject, why?: string): Reading {
  const reading = readAs(live, live.key, DEFAULT_PLAN);
  if (why && live.product) {
    reading.warnings.unshift(`it is marked as a plan of Git product ${live.product}, but ${why}: imported as its own product ${live.key} (whose apiproducts-name attribute becomes ${live.key} on its next update)`);
  }
  return reading;
}

const DEFAULT_FIRST = (a: PlanTier, b: PlanTier): number =>
  a.name === b.name ? 0 : a.name === DEFAULT_PLAN ? -1 : b.name === DEFAULT_PLAN ? 1 : compare(a.name, b.name);

/** The document of readings that share everything but their plan (one reading: as it is). */
function documentOf(readings: readonly Reading[], target: TargetConfig): ImportedProduct {
  const [first] = readings;
  if (!first) throw new Error('documentOf needs a reading');
  const plans = readings.flatMap((reading) => (reading.plan ? [reading.plan] : [])).sort(DEFAULT_FIRST);
  const binding: Binding = { ...first.binding };
  if (plans.length > 0) binding.plans = plans;
  if (first.live.managedBy !== undefined) binding.adoptFrom = first.live.managedBy;
  else if (!first.live.owned) binding.adopt = true;
  const prefix = (reading: Reading): string => (readings.length > 1 ? `${reading.live.key}: ` : '');
  // Protection recorded on the portal comes back into Git: otherwise the first apply would lift it.
  const protection = readings.some((reading) => reading.live.protected) ? { protected: true } : {};
  // What apply writes on top of the state, as validate counts it (validate-binding.ts checkAttributes).
  const marker = markerAttributeCount(markerFor(target.owner, protection.protected === true));
  const tooMany = (reading: Reading): string[] => {
    const count = reading.attributes + 1 + marker;
    return count > MAX_ATTRIBUTES ? [`it would carry ${count} attributes with access and the ${marker} ownership attributes apiproducts adds; Apigee allows ${MAX_ATTRIBUTES}, so validate rejects it until ${count - MAX_ATTRIBUTES} label(s) are removed`] : [];
  };
  return {
    spec: { ...first.spec, ...protection, targets: { [target.name]: binding } },
    files: {},
    warnings: readings.flatMap((reading) => [...reading.warnings, ...tooMany(reading)].map((warning) => prefix(reading) + warning)),
    keys: readings.map((reading) => reading.live.key).sort(compare),
  };
}

/** What a plan's product shares with the other plans of its product: everything but the plan. */
const signature = (reading: Reading): string => canonicalJson({ spec: reading.spec, binding: reading.binding, owned: reading.live.owned, managedBy: reading.live.managedBy });

/** The fields where two readings differ, for a warning. */
function differences(a: Reading, b: Reading): string[] {
  const fields = (reading: Reading): Record<string, unknown> => ({ ...reading.spec, ...reading.binding });
  const left = fields(a);
  const right = fields(b);
  return [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((key) => canonicalJson(left[key]) !== canonicalJson(right[key]));
}

/**
 * One live object → its product document (ProviderKind.importObject): an owned plan's product
 * becomes its Git product with that one plan; anything else a product of its own, named by its key.
 */
export function importApigeeObject(live: LiveObject, target: TargetConfig): ImportedProduct {
  const plan = asPlanOf(live);
  return documentOf([plan && 'reading' in plan ? plan.reading : standalone(live, plan?.why)], target);
}

/**
 * Live objects imported together: the owned products of one Git product's plans (`<name>`'s
 * default plan, `<name>-<plan>`…, all with `apiproducts-name: <name>`) become ONE document with
 * every plan, when they agree on everything but the plan; every other object is imported alone, as
 * importApigeeObject does. Plans that disagree with the rest (edited in the portal since), or whose
 * product name is taken by another object's document, are imported as products of their own, with
 * a warning. Keys must be distinct (where an owned and an unowned object share one, pass the owned
 * one, as plan pairs Git with it). Sorted by product name; every document's keys are exactly the
 * keys its toDesired objects get.
 */
export function importApigeeObjects(live: readonly LiveObject[], target: TargetConfig): ImportedProduct[] {
  const documents: Reading[][] = [];
  const byProduct = new Map<string, Reading[]>();
  for (const object of live) {
    const plan = asPlanOf(object);
    // The product's own object joins its plans only with a default plan: without a quota it is a product without plans.
    const own = !plan && object.owned && object.product === object.key ? standalone(object) : undefined;
    const member = plan && 'reading' in plan ? plan.reading : own?.plan ? own : undefined;
    if (member) byProduct.set(member.spec.name, [...(byProduct.get(member.spec.name) ?? []), member]);
    else documents.push([own ?? standalone(object, plan && 'why' in plan ? plan.why : undefined)]);
  }

  const grouped: Reading[][] = [];
  for (const [name, members] of [...byProduct].sort(([a], [b]) => compare(a, b))) {
    const partitions = new Map<string, Reading[]>();
    for (const member of [...members].sort((a, b) => compare(a.live.key, b.live.key))) {
      partitions.set(signature(member), [...(partitions.get(signature(member)) ?? []), member]);
    }
    // The plans that agree with the product's own object, else the most that agree with each other.
    const ranked = [...partitions.values()].sort((a, b) => Number(b.some((r) => r.live.key === name)) - Number(a.some((r) => r.live.key === name)) || b.length - a.length);
    const [main, ...rest] = ranked;
    if (!main) continue;
    grouped.push(main);
    for (const reading of rest.flat()) {
      documents.push([standalone(reading.live, `it differs from ${main.map((r) => r.live.key).join(', ')} in ${differences(reading, main[0]!).join(', ')}`)]);
    }
  }
  // A group whose name another document holds (e.g. an unowned product with that key) is split up.
  for (;;) {
    const names = new Set(documents.map((readings) => readings[0]!.spec.name));
    const clash = grouped.findIndex((readings) => names.has(readings[0]!.spec.name));
    if (clash < 0) break;
    const [readings] = grouped.splice(clash, 1);
    for (const reading of readings ?? []) {
      documents.push([reading.live.key === reading.spec.name ? reading : standalone(reading.live, `another product is named ${reading.spec.name} here`)]);
    }
  }
  return [...documents, ...grouped].map((readings) => documentOf(readings, target)).sort((a, b) => compare(a.spec.name, b.spec.name));
}
