import type { Diagnostic, SourcePosition } from '../model/diagnostic.ts';
import type { EffectiveProduct, ProductSpec, ProductStatus } from '../model/product.ts';
import type { Change, ObjectState } from '../model/plan.ts';
import type { TargetConfig, TargetIdentity } from '../model/target.ts';

/** An object as it should be on a target, in the provider's normalised vocabulary. */
export interface DesiredObject {
  /** Identity on the target: API7 product name, Apigee `<name>-<plan>`. */
  key: string;
  /** The Git product it comes from. */
  product: string;
  status: ProductStatus;
  state: ObjectState;
  /** Content written with the object but compared through a digest in `state` (e.g. `openapi`). */
  attachments?: Record<string, string>;
  protected: boolean;
  /** Take over an unowned live object with this key (binding `adopt: true`, written by import). */
  adopt?: boolean;
  /**
   * Where the binding is written. A function: a position costs a parse of the file, and only the
   * objects that change show one.
   */
  locate: () => SourcePosition;
}

/** An object read from a target, normalised exactly like a DesiredObject so the two compare. */
export interface LiveObject {
  key: string;
  /** Carries our ownership marker (DESIGN §5): only these are ever updated or deleted. */
  owned: boolean;
  /** The Git product named by the ownership marker, when owned. */
  product?: string;
  status: ProductStatus;
  state: ObjectState;
  /** Content read with the object and written back unchanged when only its status changes. */
  attachments?: Record<string, string>;
  /**
   * Fingerprint of the object as apiproducts last wrote it (kept on the object itself, like
   * kubectl's last-applied annotation); differs from the live fingerprint when someone edited it
   * outside Git since.
   */
  lastApplied?: string;
  /** Opaque ids the provider needs to write to it (e.g. `{id}`). */
  ref: Record<string, string>;
}

/**
 * A live object turned back into Git by `apiproducts import`: the product document and the files
 * it refers to. Loading `spec` and planning it against the live object it came from shows no
 * changes, except the adoption of an object apiproducts does not own yet.
 */
export interface ImportedProduct {
  /**
   * The product document, plain data ready to dump as YAML, keys in the order they are written
   * (name, displayName, description, status, visibility, access, team, labels, auth, targets).
   * `targets` has one binding block, for the target it was read from; that block carries
   * `adopt: true` when the live object has no ownership marker.
   */
  spec: ProductSpec;
  /** Files the document refers to (e.g. an OpenAPI document), by path relative to the product file's directory. */
  files: Record<string, string>;
  /** What will not validate or apply as read (e.g. a link to a service the target no longer lists), one sentence each. */
  warnings: string[];
  /** The keys of the live objects this document covers: one, or several plans of one product (Apigee). */
  keys: string[];
}

/** How to reach a target: the management API root and, for sandboxes, the secret to use. */
export interface Endpoint {
  url: string;
  /** Given only for embedded sandboxes; real targets read credentials from their env vars. */
  secret?: string;
}

/** Offline knowledge of one kind of target: no network, no credentials. */
export interface ProviderKind {
  readonly kind: string;
  /** Provider-specific keys of a target entry (`portal`, `org`, credential env var names). */
  validateTarget(target: TargetConfig): Diagnostic[];
  /** Rules the vendor enforces that the neutral schema cannot express. */
  validateBinding(product: EffectiveProduct, target: TargetConfig): Diagnostic[];
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
  connect(target: TargetConfig, endpoint: Endpoint): Provider;
}

/** A connected target. Every method costs list calls, never one request per product. */
export interface Provider {
  /** Every object on the target (owned or not), all pages, normalised. */
  observe(): Promise<LiveObject[]>;
  /** Checks, with list calls, that what the changes link to exists on the target. */
  preflight(changes: readonly Change[]): Promise<Diagnostic[]>;
  /** Performs one change; throws ProviderError when the target refuses it. */
  apply(change: Change): Promise<void>;
}

/**
 * A target answered with an error or could not be reached. The message is one line, names the
 * HTTP status and the product, and never contains a credential.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** Whether retrying the same request may succeed (429, 5xx, network). */
    readonly retryable: boolean = false,
    /** Seconds the server asked us to wait (`Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
