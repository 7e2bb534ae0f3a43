import type { Diagnostic } from '../model/diagnostic.ts';
import type { DesiredObject, ImportedProduct, LiveObject } from '../model/objects.ts';
import type { EffectiveProduct } from '../model/product.ts';
import type { Change } from '../model/plan.ts';
import type { TargetConfig, TargetIdentity } from '../model/target.ts';

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
