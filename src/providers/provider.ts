import type { Diagnostic } from '../model/diagnostic.ts';
import type { LockTicket, StoredLock } from '../model/lock.ts';
import type { DesiredObject, ImportedProduct, LiveObject } from '../model/objects.ts';
import type { EffectiveProduct } from '../model/product.ts';
import type { VendorSchema } from '../model/vendor-schema.ts';
import type { GrantField } from '../model/grants.ts';
import type { Change, FieldChange, Impact, ObjectState } from '../model/plan.ts';
import type { Endpoint, TargetConfig, TargetIdentity } from '../model/target.ts';
import type { ConnectOptions } from './transport/connect-options.ts';
import type { Attempted } from './transport/retry.ts';
import type { Traffic } from './transport/traffic.ts';

/** Offline knowledge of one kind of target: no network, no credentials. */
export interface ProviderKind {
  readonly kind: string;
  /** How messages name the vendor (e.g. `API7`). */
  readonly name: string;
  /** What the kind is, in full, for the schema (e.g. `API7 Enterprise`). */
  readonly title: string;
  /** Its keys in apiproducts.yaml and binding blocks: merged into schemas/*.json, checked offline. */
  readonly schema: VendorSchema;
  /** Provider-specific keys of a target entry (`portal`, `org`, credential env var names). */
  validateTarget(target: TargetConfig): Diagnostic[];
  /** Rules the vendor enforces that the neutral schema cannot express. */
  validateBinding(product: EffectiveProduct, target: TargetConfig): Diagnostic[];
  /**
   * Whether a product's `auth:` is what protects it on this target (policy public-requires-auth):
   * false where the vendor protects it another way or cannot protect it per product. Absent: true.
   */
  authProtects?(product: EffectiveProduct): boolean;
  /**
   * Rules across every product bound to one target (those validateBinding found nothing wrong
   * with), for what only the set shows: two products that the vendor's naming makes one object.
   */
  validateProject?(products: readonly EffectiveProduct[], target: TargetConfig): Diagnostic[];
  /** The objects this product becomes on the target. */
  toDesired(product: EffectiveProduct, target: TargetConfig): DesiredObject[];
  /**
   * The product documents that describe live objects as they are (reverse of toDesired), for
   * `apiproducts import`: one per Git product, which may cover several live objects.
   */
  importObjects(live: readonly LiveObject[], target: TargetConfig): ImportedProduct[];
  /** Identity of the target, for plans and stale-plan checks. Sandboxes report `sandbox://<name>`. */
  identify(target: TargetConfig): TargetIdentity;
  /**
   * Top-level state fields the vendor refuses to change while the object is published; changing
   * one plans unpublish → update → publish, all high risk.
   */
  readonly lockedWhilePublished: readonly string[];
  /**
   * State fields a draft cannot have on this vendor (Apigee: a draft's `access` attribute is
   * `internal`, so its visibility is not stored): not compared while either side is a draft, so that
   * publish and unpublish are not shadowed by an update of those fields.
   */
  readonly hiddenWhileDraft?: readonly string[];
  /** What unpublishing does to consumers, shown as the high-risk reason. */
  readonly unpublishConsequence: string;
  /**
   * Why changing this field of an object that stays published is high risk (Apigee: its portal
   * catalog item unpublished or removed); undefined when it is not.
   */
  fieldRisk?(field: FieldChange): string | undefined;
  /**
   * State fields whose elements are what a product grants its consumers (services, proxies,
   * environments…), and what an empty one grants where that is everything: an update that removes
   * an element, or empties such a list, is high risk, and its consumers are counted.
   */
  readonly grantFields?: readonly GrantField[];
  /**
   * Dependencies between changes of one phase that the vendor needs (API7: the update that frees
   * a gateway service before the one that takes it): change id → ids it must run after. Pure; no cycles.
   */
  sequenceChanges?(changes: readonly Change[]): ReadonlyMap<string, readonly string[]>;
  /** `options` tune the transport (retries, waits, the gate): tests and benchmarks set them. */
  connect(target: TargetConfig, endpoint: Endpoint, options?: ConnectOptions): Provider;
}

/** What a run will compare the observation with; everything optional (observe() alone reads everything). */
export interface ObserveScope {
  /**
   * The objects the run compares live objects with, by key (Git's desired objects, or a saved
   * plan's): a provider reads what they refer to beyond its objects (Apigee: the portal sites of
   * catalog items), and knows which object refers to it.
   */
  objects?: readonly { key: string; state: ObjectState }[];
}

/** A connected target. Every method costs list calls, never one request per product. */
export interface Provider {
  /** Every object on the target (owned or not), all pages, normalised. */
  observe(scope?: ObserveScope): Promise<LiveObject[]>;
  /**
   * observe() reads more when the scope names it (Apigee X: the portals the desired states name):
   * an observation started before the products were loaded (read while loading) is read again.
   */
  readonly readsByScope?: boolean;
  /**
   * A readsByScope provider's reads that do not depend on the scope (Apigee: the product list),
   * started now so that read while loading overlaps them; the next observe() finishes from them
   * (reading only what its scope adds) instead of listing again.
   */
  readAhead?(): void;
  /**
   * The keys the plan compares (the desired objects'), told once they are known, while the
   * observation may still be under way: a provider may read faster with them (Apigee asks for
   * later list pages in parallel, product-pager.ts). It never changes what observe() returns.
   */
  expect?(keys: readonly string[]): void;
  /**
   * Only the objects apiproducts owns, when the vendor can list those for less than everything
   * (a server-side filter, checked again by the provider). The core uses it only where no unowned
   * object matters (observe/read-live.ts: read-only drift, every desired key found among them).
   */
  observeOwned?(scope?: ObserveScope): Promise<LiveObject[]>;
  /** Checks, with list calls, that what the changes link to exists on the target. */
  preflight(changes: readonly Change[]): Promise<Diagnostic[]>;
  /**
   * Performs one change, its requests retried by the transport (never the change as a whole), and
   * says how many tries it took; `error` (a ProviderError) when the target refused it.
   */
  apply(change: Change): Promise<Attempted<void>>;
  /**
   * The consumers each high-risk change affects (API7 subscriptions, Apigee developer apps), by
   * change id: called with the high-risk changes of this target only, after the plan is built, at
   * a cost of O(changed objects) requests, never O(products). A count that cannot be read is an
   * `unknown` Impact naming why (`HTTP 503`), never 0 and never a thrown error.
   */
  countConsumers?(changes: readonly Change[]): Promise<Map<string, Impact>>;
  /** The target's gate: every request to it passes there, and its counters go into the apply report. */
  readonly traffic: Traffic;
  /** Where the target's apply lock records live (src/apply/target-lock.ts runs the protocol). */
  readonly locks: LockStore;
}

/**
 * Where a target keeps its apply lock records: objects on the portal that observe() never returns
 * (so they are never shown, imported or pruned) and that grant nothing to anyone. The protocol
 * (src/apply/target-lock.ts) needs only that a create is seen by every list that starts after it
 * returns; it never relies on a name being refused.
 */
export interface LockStore {
  /** Writes a new record for the ticket; its name carries the nonce, so it is unique. */
  create(ticket: LockTicket): Promise<StoredLock>;
  /** Every lock record on the target, readable or not, in as few list calls as the vendor allows. */
  list(): Promise<StoredLock[]>;
  /** Rewrites the record with the ticket's new expiry; `false` when the record is gone. */
  renew(lock: StoredLock, ticket: LockTicket): Promise<boolean>;
  /** Removes the record; one already gone is not an error. */
  remove(lock: StoredLock): Promise<void>;
}
