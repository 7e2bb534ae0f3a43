/**
 * Synthetic portals for the benchmark. A project of realistic product files (one per file, by team,
 * written as a person would write them) is loaded by the real loader; the emulator state holds
 * exactly what those products become on the target (each vendor's profile plants it through the
 * provider's own request mapping and the emulator's own body parser), so that a plan against it
 * shows no changes. A few products on the portal are not managed by apiproducts.
 *
 * N counts products ON THE PORTAL (the objects a plan reads): a Git product may become more than
 * one there (e.g. one per plan), and the unmanaged products are part of N.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desiredObjects } from '../src/commands/desired-objects.ts';
import { loadValidProject, type ValidProject } from '../src/commands/project.ts';
import type { DesiredObject } from '../src/model/objects.ts';
import { getProviderKind } from '../src/registry.ts';
import type { ProviderName } from './options.ts';
import { isChanged, productName, TEAMS, teamOf } from './products.ts';
import { BENCH_PROFILES, benchProfile } from './vendors/index.ts';
import type { PortalSettings } from './vendors/profile.ts';

/** Share of the portal's products that nobody manages with apiproducts (made in the dashboard). */
const UNMANAGED_SHARE = 0.02;

export interface ProjectLayout {
  provider: ProviderName;
  /** Products on the portal: managed objects plus unmanaged ones. */
  n: number;
  /** Git products (indices 0..gitProducts-1). */
  gitProducts: number;
  /** Products on the portal apiproducts manages (more than gitProducts when some become several). */
  managedObjects: number;
  unmanaged: number;
  /** Git products edited in `products-changed/`, and the portal products those edits update. */
  changedProducts: number;
  changedObjects: number;
  /** Share of Git products edited in `products-changed/`. */
  changeShare: number;
  /** The last product is written to become one portal product (e.g. without its plans), so that the portal holds exactly N. */
  lastWithoutPlans: boolean;
}

/** Splits N products on the portal into unmanaged ones and Git products (some becoming several portal products). */
export function layout(provider: ProviderName, n: number, changeShare: number, withUnmanaged = true): ProjectLayout {
  const { objectsOf } = benchProfile(provider);
  const unmanaged = withUnmanaged ? Math.max(1, Math.round(n * UNMANAGED_SHARE)) : 0;
  const wanted = n - unmanaged;
  let managedObjects = 0;
  let gitProducts = 0;
  let changedProducts = 0;
  let changedObjects = 0;
  let lastWithoutPlans = false;
  while (managedObjects < wanted) {
    // The last product becomes one object when more would overshoot N.
    lastWithoutPlans = managedObjects + objectsOf(gitProducts) > wanted;
    const objects = lastWithoutPlans ? 1 : objectsOf(gitProducts);
    if (isChanged(gitProducts, changeShare)) {
      changedProducts++;
      changedObjects += objects;
    }
    managedObjects += objects;
    gitProducts++;
  }
  return { provider, n, gitProducts, managedObjects, unmanaged, changedProducts, changedObjects, changeShare, lastWithoutPlans };
}

export interface GeneratedProject extends ProjectLayout {
  /** The project directory (apiproducts.yaml, products/, products-changed/, specs/). */
  cwd: string;
  target: string;
  /** Products as live now (`products/`) and with the edits (`products-changed/`), relative to cwd. */
  productsDir: string;
  changedDir: string;
  /** Where the CLIs' runs keep their document cache (APIPRODUCTS_CACHE_DIR): in the project, removed with it, never in ~/.cache. */
  documentCache: string;
  remove(): void;
}

/**
 * Writes a project of `layout.gitProducts` product files, in one directory per team, into a new
 * temp directory; `changedDir` holds the same files with every 10th product edited (description,
 * and for some a new label). The target's url is written later (writeConfig), once the emulator
 * listens.
 */
export function writeProject(l: ProjectLayout, options: PortalSettings & { changes?: boolean; root?: string }): GeneratedProject {
  const profile = benchProfile(l.provider);
  const cwd = mkdtempSync(join(options.root ?? tmpdir(), `apiproducts-bench-${l.provider}-${l.n}-`));
  const target = profile.target;
  const productsDir = 'products';
  const changedDir = 'products-changed';
  const dirs = options.changes === false ? [productsDir] : [productsDir, changedDir];
  for (const dir of dirs) for (const team of TEAMS) mkdirSync(join(cwd, dir, team), { recursive: true });
  mkdirSync(join(cwd, 'specs'));
  for (let i = 0; i < l.gitProducts; i++) {
    const file = `${productName(i)}.yaml`;
    const single = l.lastWithoutPlans && i === l.gitProducts - 1;
    const write = (dir: string, changed: boolean): void => writeFileSync(join(cwd, dir, teamOf(i), file), profile.productFile(i, target, changed, single));
    write(productsDir, false);
    if (dirs.includes(changedDir)) write(changedDir, isChanged(i, l.changeShare));
    const spec = profile.spec?.(i);
    if (spec !== undefined) writeFileSync(join(cwd, 'specs', file), spec);
  }
  writeConfig(cwd, l.provider, 'http://127.0.0.1:9', options);
  return { ...l, cwd, target, productsDir, changedDir, documentCache: join(cwd, '.document-cache'), remove: () => rmSync(cwd, { recursive: true, force: true }) };
}

/** apiproducts.yaml with one real (non-sandbox) target at `url`, credentials from the environment. */
export function writeConfig(cwd: string, provider: ProviderName, url: string, settings: PortalSettings, concurrency = 8): void {
  const profile = benchProfile(provider);
  const text = [
    '# yaml-language-server: $schema=./schemas/targets.schema.json',
    'targets:',
    `  ${profile.target}:`,
    ...profile.targetSettings(url, settings),
    'prune: false',
    `concurrency: ${concurrency}`,
    '',
  ];
  writeFileSync(join(cwd, 'apiproducts.yaml'), text.join('\n'));
}

/** Loads a generated project through the real loader and validator; any error is a bug in the generator. */
export function loadProject(cwd: string, productsDir: string): ValidProject {
  for (const profile of BENCH_PROFILES) process.env[profile.tokenEnv] = profile.token;
  // The bench's own read of the project leaves no document cache behind (the CLIs' runs have theirs).
  return loadValidProject({ cwd, products: productsDir, targets: [], noCache: true });
}

export function desiredOf(project: ValidProject, provider: ProviderName): DesiredObject[] {
  const target = project.targets[0]!;
  return desiredObjects(project.products, target, getProviderKind(provider)!);
}
