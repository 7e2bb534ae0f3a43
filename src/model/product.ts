import type { SourcePosition } from './diagnostic.ts';
import type { ReferencedFile } from './referenced-file.ts';

export type ProductStatus = 'draft' | 'published';
export type Visibility = 'public' | 'logged-in' | 'unlisted' | 'private' | 'internal';
export type Access = 'auto' | 'approval' | 'restricted';
/** key-auth options (API7); one left out keeps the portal's value ("absent is not default"). */
export interface KeyAuthOptions {
  header?: string;
  query?: string;
  hideCredentials?: boolean;
}
export interface BasicAuthOptions {
  hideCredentials?: boolean;
}
/** `key-auth`, `basic-auth` (plain or with options), or OAuth through a DCR provider named in the portal. */
export type AuthMethod =
  | 'key-auth'
  | 'basic-auth'
  | { 'key-auth': KeyAuthOptions }
  | { 'basic-auth': BasicAuthOptions }
  | { oauth: { dcrProvider: string } };

export interface PlanLimits {
  perSecond?: number;
  perMinute?: number;
  perHour?: number;
  perDay?: number;
  perMonth?: number;
  burst?: number;
}

/** A quota tier (seed 002): what a consumer subscribes to. */
export interface PlanTier {
  name: string;
  limits: PlanLimits;
}

/** The fields a binding block may override for its target (DESIGN §3). */
export const OVERRIDABLE_FIELDS = ['displayName', 'status', 'visibility', 'access', 'plans', 'auth', 'labels'] as const;

/** Provider-specific binding block (`targets.<name>` in a product file), validated by that provider. */
export type Binding = Record<string, unknown>;

/** A product as written in `products/*.yaml`, after schema validation. Provider-neutral. */
export interface ProductSpec {
  name: string;
  displayName?: string;
  description?: string;
  status?: ProductStatus;
  visibility?: Visibility;
  access?: Access;
  team?: string;
  labels?: Record<string, string>;
  auth?: AuthMethod[];
  plans?: PlanTier[];
  protected?: boolean;
  targets: Record<string, Binding>;
}

/**
 * Maps a JSON pointer path inside one YAML document (e.g. `['targets','api7','visibility']`)
 * to the position of that node, falling back to the nearest ancestor that exists.
 */
export type Locate = (path: readonly (string | number)[]) => SourcePosition;

/** One product document loaded from disk, with what is needed to point at its lines. */
export interface ProductSource {
  spec: ProductSpec;
  /** Path relative to the working directory, as shown in diagnostics. */
  file: string;
  /** Absolute path of the file, for resolving relative paths such as `openapi:`. */
  absolutePath: string;
  locate: Locate;
  /** The files its bindings refer to (`openapi:`), by the path as written; absent: it refers to none. */
  referenced?: Readonly<Record<string, ReferencedFile>>;
}

/** Every product document found under `products/`. */
export interface ProductSet {
  products: ProductSource[];
}

/**
 * A product as it should be on one target: common fields with the binding's overrides applied
 * and defaults filled in. This is what providers map to their own objects.
 */
export interface EffectiveProduct {
  name: string;
  displayName: string;
  description: string;
  status: ProductStatus;
  visibility: Visibility;
  access: Access;
  team?: string;
  labels: Record<string, string>;
  auth: AuthMethod[];
  plans: PlanTier[];
  protected: boolean;
  /** The binding block with the overridden common fields removed. */
  binding: Binding;
  source: ProductSource;
  /** The target name this effective product is for. */
  target: string;
}
