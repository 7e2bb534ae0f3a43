import type { Diagnostic, SourcePosition } from './diagnostic.ts';
import type { ProductStatus } from './product.ts';
import type { TargetIdentity } from './target.ts';
import type { OperationsDiff } from './api-operations.ts';

/** Bumped whenever the plan file changes shape; a plan file of another version is refused. */
export const PLAN_FORMAT_VERSION = 1;

export type ChangeAction = 'create' | 'update' | 'publish' | 'unpublish' | 'delete';
export type Risk = 'low' | 'high';

/** One field that differs, by dotted path in the provider's normalised vocabulary. Absent = not set. */
export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

/**
 * What the live object must still be for the change to be safe to apply: absent, or present with
 * exactly this fingerprint (sha-256 of its normalised form).
 */
export type Precondition =
  | { kind: 'absent' }
  | {
      kind: 'present';
      fingerprint: string;
      /** The normalised live object the fingerprint was taken of, to say what moved when it no longer matches. */
      observed: { status: ProductStatus; state: ObjectState };
    };

/** The comparable, normalised form of one object on a target (everything but its status). */
export type ObjectState = Record<string, unknown>;

/** The object as it must be once this change is applied. */
export interface ObjectAfter {
  status: ProductStatus;
  state: ObjectState;
  /** Content the provider writes but the plan compares by digest only (e.g. an OpenAPI document). */
  attachments?: Record<string, string>;
  /** The fields the target leaves to the portal (`ignore:`): left out of the last-applied marker (appliedFingerprint). */
  ignored?: string[];
}

/**
 * One step of a plan. `key` is the object's identity on the target (API7: the product name;
 * Apigee: `<name>-<plan>`), `product` the product in Git it belongs to.
 */
export interface Change {
  /**
   * `<target>/<key>/<action>`: unique in a plan, used by `dependsOn`. The delete of a duplicate
   * copy adds the copy's provider ids, `<target>/<key>/delete@<ref>`, because the kept copy may
   * be deleted too (an orphan with pruning on) and its id must stay as it always was.
   */
  id: string;
  action: ChangeAction;
  target: string;
  key: string;
  product: string;
  fields: FieldChange[];
  /**
   * An update of an OpenAPI document: the operations it adds, removes and changes (the `openapi`
   * field keeps the digests), or why they could not be compared.
   */
  apiOperations?: OperationsDiff;
  risk: Risk;
  /** Why the change is high risk, one sentence each; empty for low risk. */
  reasons: string[];
  dependsOn: string[];
  precondition: Precondition;
  /** Absent for delete. */
  after?: ObjectAfter;
  /** Provider ids of the live object (e.g. `{id}`), absent for create. */
  ref?: Record<string, string>;
  /** This update takes over an object apiproducts did not create (binding `adopt: true`) or another owner manages (`adoptFrom`). */
  adopts?: boolean;
  /** With `adopts`: the owner the object is taken from (`''`: a configuration without `owner:`). */
  adoptsFrom?: string;
  /**
   * The live object was edited outside Git since apiproducts last wrote it (known only for
   * objects it wrote); otherwise the change is Git's, not yet applied.
   */
  changedOutsideGit?: boolean;
  /** Set on the delete of a newer copy of an object apiproducts owns twice or more (identical to the kept one). */
  duplicate?: DuplicateOf;
  /** Where the product is defined, absent for orphans being deleted. */
  source?: SourcePosition;
  /**
   * Git says `protected: true`, or (delete, unpublish) the live marker does: a high-risk change
   * that apply refuses.
   */
  protected: boolean;
  /**
   * For a high-risk change: the consumers it affects, read from the target after the plan was
   * built (observe/impact.ts). Absent when the provider counts none or the change is low risk.
   */
  impact?: Impact;
}

/**
 * Why a delete or unpublish of a product that is protected (in Git, or by its live marker when the
 * file is gone) is refused, with the fix: the plan shows it, apply says it when it skips one.
 */
export const PROTECTED_REFUSAL = 'the product is protected: apply a change setting protected: false first (it is recorded on the portal, so deleting its file does not remove it)';
/** Who holds an object on a target: API7's subscriptions, Apigee's developer apps. */
export type ConsumerKind = 'subscriptions' | 'developer apps';

/**
 * What the change does to them: `cancels` (the vendor removes them), `breaks` (their requests
 * fail), `narrows` (they keep the object but lose part of what it grants), `affects` (they keep
 * working, but the object changes under them: an Apigee product hidden from portals).
 */
export type ImpactEffect = 'cancels' | 'breaks' | 'narrows' | 'affects';

/** The consumers one change affects; a count that could not be read says why and is never 0. */
export type Impact =
  | { consumers: ConsumerKind; effect: ImpactEffect; count: number }
  | { consumers: ConsumerKind; effect: ImpactEffect; unknown: string };

/** Which copy of a duplicated object stays when this one is deleted, and what decided it. */
export interface DuplicateOf {
  /** Provider ids of the copy that is kept (`refLabel`). */
  kept: string;
  /** `created`: this copy was created later; `id`: creation times could not tell, so the lowest id is kept. */
  order: 'created' | 'id';
}

/** One target as observed when the plan was made. */
export interface PlanTarget {
  name: string;
  provider: string;
  identity: TargetIdentity;
  observedAt: string;
  /** Live objects without our ownership marker: counted, never touched. */
  unmanaged: number;
  /** Owned objects no longer in Git, not deleted because pruning is off. */
  orphaned: string[];
  /**
   * Live objects another owner's configuration manages (`owner:` on a shared portal), by owner
   * (`''`: one without `owner:`): counted, never touched. Absent when there are none.
   */
  managedByOthers?: Record<string, number>;
  /** Only owned objects were read (drift's filtered read): `unmanaged` counts nothing then. */
  ownedOnly?: true;
}

/** The plan: plain data, and its JSON is the plan file (DESIGN §6). */
export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  /**
   * sha-256 over the rest of the plan file, set when the plan is saved: apply refuses a file whose
   * content no longer matches it (edited by hand, truncated, merged).
   */
  digest?: string;
  tool: { name: string; version: string };
  createdAt: string;
  /** sha-256 of apiproducts.yaml and every product file, in path order. */
  configDigest: string;
  targets: PlanTarget[];
  changes: Change[];
  /** Warnings from validation and preflight (errors stop before a plan exists). */
  diagnostics: Diagnostic[];
}

/** `would-apply`: a dry run got this far and stopped short of the write. */
export type ChangeOutcome = 'applied' | 'failed' | 'skipped' | 'would-apply';

export interface ChangeResult {
  changeId: string;
  action: ChangeAction;
  target: string;
  key: string;
  outcome: ChangeOutcome;
  /** One line: the provider's error for a failure, the blocking change or policy for a skip. */
  message?: string;
  attempts: number;
  durationMs: number;
  /** Time this change waited between its tries (backoff, Retry-After), ms; absent when it never waited. */
  waitMs?: number;
  /** Applied, though an answer was lost: the retry found the write had taken effect. */
  confirmedAfterLostAnswer?: true;
}

/**
 * How one target's management API was used during the apply (its writes and the reads they
 * needed): the figures that show a run met a rate limit or a flaky network, and what that cost.
 */
export interface TargetTraffic {
  target: string;
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Requests sent again after a 429, a 5xx, a timeout or a dropped connection. */
  retries: number;
  /** Total time waited before those retries (backoff and Retry-After), ms. */
  waitMs: number;
  /** 429 answers (rate limited). */
  rateLimited: number;
  /**
   * Writes in flight: the configured limit, and the lowest the adaptive limit went to after 429s
   * (equal when the target never rate-limited the run).
   */
  concurrency: { configured: number; lowest: number };
  /** Request starts per second the target was paced to after 429s, at the end of the run; absent when never paced. */
  pacedPerSecond?: number;
}

/** What an apply did, change by change: never all-or-nothing, never silent. */
export interface ApplyReport {
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  results: ChangeResult[];
  /** Per target, in plan order; absent on a dry run (nothing was sent). */
  traffic?: TargetTraffic[];
}
