/**
 * What one vendor contributes to the benchmark, its traffic profile: how its product files and the
 * matching portal are generated, how its emulator is started and its request log read, its list
 * paging. How the peers read it (the baseline) is the folder's baseline.ts, loaded by name by
 * bench/entries/baseline-plan.ts. The generic bench knows vendors only through this interface,
 * that file name and the list in ./index.ts.
 */
import type { DesiredObject } from '../../src/model/objects.ts';
import type { RunningEmulator } from '../../src/sandbox/listen.ts';
import type { ApigeeFlavour } from '../../src/sandbox/apigee/state.ts';

/** The bench options a vendor's portal may depend on. */
export interface PortalSettings {
  flavour: ApigeeFlavour;
}

/** How products were split between Git and the portal (generate.ts layout()). */
export interface PortalLayout {
  gitProducts: number;
  unmanaged: number;
}

/** A vendor's emulator state for one generated project, held by the profile until it is served. */
export interface VendorPortal {
  /** Serves the state (the directory, plus whatever was planted) on a free port. */
  start(): Promise<RunningEmulator<unknown>>;
  /** Puts on the portal what `desired` becomes on a create, then the unmanaged products. */
  plant(desired: readonly DesiredObject[]): void;
  /** Empties the portal of products, keeping its directory (each apply run starts empty). */
  clearProducts(): void;
  /** Products labelled as managed by apiproducts now on the portal. */
  ownedProducts(): number;
}

export interface BenchProfile {
  /** The provider kind (src/registry.ts): `--providers` names it, and the target's `provider:`. */
  kind: string;
  /** How RESULTS.md names the vendor. */
  displayName: string;
  /** The generated target's name. */
  target: string;
  /** The credential the target reads from the environment and the emulator accepts. */
  tokenEnv: string;
  token: string;
  /** Portal products that Git product `i` becomes (e.g. one per plan). */
  objectsOf(i: number): number;
  /**
   * The product file of Git product `i` bound to `target`; `single`: written so that it becomes
   * one portal product, when N would otherwise be overshot.
   */
  productFile(i: number, target: string, changed: boolean, single: boolean): string;
  /** An OpenAPI document the product file points at (written to specs/), if any. */
  spec?(i: number): string | undefined;
  /** The target's lines in apiproducts.yaml, `provider:` first, indented under its name. */
  targetSettings(url: string, settings: PortalSettings): string[];
  /** The portal of a generated project: its directory seeded, no products yet. */
  portal(layout: PortalLayout, settings: PortalSettings): VendorPortal;
  /** The most products one list page serves: the targets allow ⌈N / maxPageSize⌉ list requests. */
  maxPageSize: number;
  /** Why a no-change plan that read N products in `lists` list requests missed that target, when the vendor explains it. */
  missedListsNote(n: number, lists: number, productGets: number): string | undefined;
  /** The product list and single-product read as endpointOf() names them. */
  productList: string;
  productGet: string;
  /** A request path with ids, names and orgs replaced by placeholders; other vendors' paths unchanged. */
  foldPath(path: string): string;
  /** How RESULTS.md describes the generated products, the lookups (preflight), and, when a Git product can be several on the portal, how. */
  productsNote: string;
  lookups: string;
  portalObjectsNote?: string;
}
