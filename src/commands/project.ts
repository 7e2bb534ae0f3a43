import { createHash } from 'node:crypto';
import { hasErrors, UserError, type Diagnostic } from '../model/diagnostic.ts';
import type { ProductSet } from '../model/product.ts';
import { suggestNearest } from '../validate/suggest.ts';
import type { Config, TargetConfig } from '../model/target.ts';
import { loadProject, loadProjectPausing, type LoadedProject } from '../load/load-project.ts';
import type { ReadConfigResult } from '../load/read-config.ts';
import { validateProject, validateProjectPausing, type ValidatedProject } from '../validate/validate-project.ts';
import { getProviderKind } from '../registry.ts';

/** Options every command that reads the project accepts. */
export interface ProjectOptions {
  cwd: string;
  /** `--chdir` as typed, for the next-step hints (cwd is it resolved). */
  chdir?: string;
  config?: string;
  products?: string;
  /** `--target`: narrow the run to these targets; empty = all. */
  targets: string[];
  /** `--product` on plan, apply and drift: narrow the run to these Git products; empty or absent = all. */
  only?: string[];
  /** `--no-cache`: parse and check every product file, and leave the document cache alone. */
  noCache?: boolean;
}

/** A loaded project with no errors, narrowed to the targets the run is about. */
export interface ValidProject {
  config: Config;
  products: ProductSet;
  targets: TargetConfig[];
  /** Warnings only: errors stop the run before this exists. */
  warnings: Diagnostic[];
  /** sha-256 over apiproducts.yaml and every product file, in path order. */
  digest: string;
  /**
   * `--product`: the Git products the run is about. Live objects of other products are out of
   * scope (neither orphans nor unmanaged), like Terraform's `-target`.
   */
  only?: ReadonlySet<string>;
}

/** Loads, then validates everything; any error becomes one UserError listing all of them. */
export function loadValidProject(options: ProjectOptions): ValidProject {
  const loaded = loadProject({ cwd: options.cwd, configPath: options.config, productsDir: options.products, cache: !options.noCache });
  return acceptProject(options, loaded, validateProject(loaded, getProviderKind, options.cwd));
}

/**
 * loadValidProject, giving the event loop a turn every few milliseconds (`timeSlices`), so that
 * the targets' live state, requested before, is read while the project loads. `config`:
 * apiproducts.yaml as the caller already read it; `now`: the clock of the pauses.
 */
export async function loadValidProjectPausing(options: ProjectOptions, config?: ReadConfigResult, now?: () => number): Promise<ValidProject> {
  const pause = timeSlices(now);
  const loaded = await loadProjectPausing({ cwd: options.cwd, configPath: options.config, productsDir: options.products, cache: !options.noCache, ...(config ? { config } : {}) }, pause);
  return acceptProject(options, loaded, await validateProjectPausing(loaded, getProviderKind, options.cwd, pause));
}

/**
 * A pause for the loops of loading and validating: a turn of the event loop (setImmediate, after
 * the poll phase that handles sockets) once SLICE_MS of work have passed since the last, nothing
 * otherwise. The clock only decides how often to pause, never what is computed.
 */
export function timeSlices(now: () => number = () => performance.now()): () => Promise<void> | undefined {
  let last = now();
  return () => {
    if (now() - last < SLICE_MS) return undefined;
    return new Promise<void>((resolve) => setImmediate(() => {
      last = now();
      resolve();
    }));
  };
}

/**
 * Short enough that an answer waits at most this long for its follow-up request, and that a large
 * page (an Apigee page of 1,000 expanded products is about 1 MB, more than a socket buffer holds)
 * is read in a few milliseconds: the socket is drained once per turn, and at 5 ms a turn each page
 * of a sequential pager came 10–45 ms later while the project loaded (bench/profile-floor.ts).
 * Long enough that pausing costs nothing measurable (a turn is a few microseconds).
 */
const SLICE_MS = 1;

/** The validated project narrowed to the run, or the UserError listing every problem. */
function acceptProject(options: ProjectOptions, loaded: LoadedProject, validated: ValidatedProject): ValidProject {
  // Whatever else the project holds: a document whose own checks passed is as good next time.
  loaded.cache?.save(validated.passed);
  if (!validated.config || hasErrors(validated.diagnostics)) {
    const count = validated.diagnostics.filter((d) => d.severity === 'error').length;
    throw new UserError(`validation failed with ${count} error${count === 1 ? '' : 's'}`, validated.diagnostics);
  }
  const config = validated.config;
  const unknown = options.targets.filter((name) => !config.targets.some((t) => t.name === name));
  if (unknown.length) {
    throw new UserError(
      `unknown target ${unknown.map((n) => `"${n}"`).join(', ')} in --target; ${config.file} defines: ${config.targets.map((t) => t.name).join(', ')}`,
    );
  }
  const targets = options.targets.length ? config.targets.filter((t) => options.targets.includes(t.name)) : config.targets;
  const only = narrowProducts(validated.products, options.only ?? []);
  const hash = createHash('sha256');
  // Piece by piece: the digest of the concatenation, without copying every file into one string each.
  for (const file of [...loaded.files].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(file.path).update('\n').update(file.content).update('\n');
  return {
    config,
    products: only ? { products: validated.products.products.filter((source) => only.has(source.spec.name)) } : validated.products,
    targets,
    warnings: validated.diagnostics,
    digest: 'sha256:' + hash.digest('hex'),
    ...(only ? { only } : {}),
  };
}

/** `--product NAME…` checked against Git: an unknown name is an error naming the nearest one. */
function narrowProducts(products: ProductSet, names: readonly string[]): ReadonlySet<string> | undefined {
  if (names.length === 0) return undefined;
  const known = products.products.map((source) => source.spec.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length) {
    const nearest = suggestNearest(unknown[0]!, known);
    throw new UserError(`unknown product ${unknown.map((n) => `"${n}"`).join(', ')} in --product${nearest ? `; did you mean "${nearest}"?` : ''} (products/ defines ${known.length})`);
  }
  return new Set(names);
}
