import type { SourcePosition } from './diagnostic.ts';
import type { ProductSpec, ProductStatus } from './product.ts';
import type { ObjectState } from './plan.ts';
import type { ApiDescription } from './api-operations.ts';

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
  /**
   * The operations of its OpenAPI attachment (`attachments.openapi`), read only when the plan needs
   * them: when the live object's document differs.
   */
  api?: ApiDescription;
  protected: boolean;
  /** Take over an unowned live object with this key (binding `adopt: true`, written by import). */
  adopt?: boolean;
  /**
   * Take over the live object with this key that another configuration owns: the owner named by
   * its marker, `''` for one without `owner:` (binding `adoptFrom`, written by `import --adopt-from`).
   */
  adoptFrom?: string;
  /**
   * State field paths this object leaves at their live value, like a target's `ignore:` (API7: an
   * auth option Git does not write keeps the portal's value and is not compared).
   */
  ignore?: readonly string[];
  /**
   * Where the binding is written. A function: a position costs a parse of the file, and only the
   * objects that change show one.
   */
  locate: () => SourcePosition;
}

/** An object read from a target, normalised exactly like a DesiredObject so the two compare. */
export interface LiveObject {
  key: string;
  /**
   * Carries our ownership marker with our owner (DESIGN §5, `isOurs`): only these are ever updated
   * or deleted.
   */
  owned: boolean;
  /**
   * Set when the object carries apiproducts' marker for ANOTHER owner (`owner:` of another
   * configuration sharing the portal; `''` when that one has no owner): never updated, adopted or
   * pruned by this one, only counted, and taken over only by `adoptFrom`.
   */
  managedBy?: string;
  /** The Git product named by the ownership marker, when the object carries one (ours or another owner's). */
  product?: string;
  /**
   * The marker says the product is protected (`protected: true` was applied): it is never deleted
   * or unpublished, even when its file is gone, until a change setting `protected: false` is applied.
   * Kept out of `state`: a change of `protected` in Git is its own pseudo-field of an update.
   */
  protected?: boolean;
  status: ProductStatus;
  state: ObjectState;
  /** Content read with the object and written back unchanged when only its status changes. */
  attachments?: Record<string, string>;
  /** The operations of its OpenAPI attachment, read only when Git's document differs from it. */
  api?: ApiDescription;
  /**
   * Fingerprint of the object as apiproducts last wrote it (kept on the object itself, like
   * kubectl's last-applied annotation); differs from the live fingerprint when someone edited it
   * outside Git since.
   */
  lastApplied?: string;
  /** Opaque ids the provider needs to write to it (e.g. `{id}`). */
  ref: Record<string, string>;
  /**
   * When the target created it (ISO 8601), when the vendor says. Only tells duplicates apart (the
   * oldest is kept); never part of `state`, so it moves no fingerprint, plan or digest.
   */
  createdAt?: string;
}

/** Who writes a product's ownership marker and what it records beside the digest (each vendor's ownership.ts writes it). */
export interface MarkerOptions {
  owner?: string;
  protected: boolean;
}

/** A configuration without `owner:` writing an unprotected product: the marker as before owners existed. */
export const PLAIN_MARKER: MarkerOptions = { protected: false };

/** The marker a write records: the configuration's owner, and what the change says of `protected`. */
export function markerFor(owner: string | undefined, isProtected: boolean): MarkerOptions {
  return { ...(owner !== undefined ? { owner } : {}), protected: isProtected };
}

/**
 * Whether a live marker written for `markerOwner` (absent: by a configuration without `owner:`)
 * belongs to the configuration whose `owner:` is `configuredOwner`: the one decision of "ours".
 * No owner on either side is the same (unscoped) owner, so configurations without `owner:` keep
 * seeing each other's products as theirs, as before owners existed.
 */
export function isOurs(markerOwner: string | undefined, configuredOwner: string | undefined): boolean {
  return (markerOwner ?? '') === (configuredOwner ?? '');
}

/** How messages name an owner: `owner NAME`, or the configurations without one. */
export function describeOwner(owner: string): string {
  return owner === '' ? 'a configuration without owner:' : `owner ${owner}`;
}

/** A live object's provider ids as one string (`prod-orders`), to name the exact copy in messages and change ids. */
export function refLabel(ref: Readonly<Record<string, string>>): string {
  return Object.keys(ref)
    .sort()
    .map((name) => ref[name])
    .join('/');
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
