import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Document, isScalar, visit } from 'yaml';
import { ExitCode, UserError } from '../model/diagnostic.ts';
import { escapeText } from '../model/display.ts';
import { detectSecret } from '../model/secrets.ts';
import type { ProductSpec } from '../model/product.ts';
import type { TargetConfig } from '../model/target.ts';
import { displayPath } from '../load/read-config.ts';
import { describeReadError } from '../load/read-text.ts';
import { observeTargets } from '../observe/read-live.ts';
import { desiredObjects } from './desired-objects.ts';
import type { ProviderKind } from '../providers/provider.ts';
import { describeOwner, type ImportedProduct, type LiveObject } from '../model/objects.ts';
import type { SecretMasker } from '../model/masker.ts';
import type { Io } from './io.ts';
import { schemaReference } from './tool-info.ts';
import { loadValidProject, type ProjectOptions, type ValidProject } from './project.ts';
import { openTargets } from './session.ts';

export interface ImportOptions extends ProjectOptions {
  /** `--product`: import only these live products, by key; empty = all. */
  select: string[];
  /** `--out`: where product files go; default the project's products directory. */
  out?: string;
  /**
   * `--adopt-from OWNER`: import only the products another configuration's owner manages on the
   * target (`''`: one without `owner:`), written with `adoptFrom` so the next apply takes them over.
   */
  adoptFrom?: string;
}

const KEY_ORDER = ['name', 'displayName', 'description', 'status', 'visibility', 'access', 'team', 'labels', 'auth', 'protected', 'targets'];
/** The product name pattern of schemas/product.schema.json: also keeps file names inside the output directory. */
const PRODUCT_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const IMPORT_HINT =
  'Run apiproducts plan: imported products show no changes; unowned ones are adopted (marked as managed) on the next apply.';

/** A product document as written by import: the schema comment, then the keys in a fixed order. */
/** `schema`: where the `$schema` modeline points, relative to the file (tool-info.ts `schemaReference`). */
export function renderProductYaml(spec: ProductSpec, schema = '../schemas/product.schema.json'): string {
  const record = spec as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of [...KEY_ORDER, ...Object.keys(record).filter((k) => !KEY_ORDER.includes(k))]) {
    if (record[key] !== undefined) ordered[key] = record[key];
  }
  const document = new Document(ordered);
  // Lists of plain values read best on one line, like the shipped examples: `hosts: [a, b]`.
  visit(document, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return `# yaml-language-server: $schema=${schema}\n` + document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** `apiproducts import`: write a product file for live products of one target, never overwriting a file. */
export async function runImport(options: ImportOptions, io: Io): Promise<number> {
  const productsDir = resolveIn(options.cwd, options.products ?? 'products');
  const outDir = options.out === undefined ? productsDir : resolveIn(options.cwd, options.out);
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
    const named = `${options.out === undefined ? 'the products directory' : '--out'} ${displayPath(outDir, options.cwd)}`;
    throw new UserError(`${named} is a file, not a directory; nothing was imported (import writes one file per product into a directory)`);
  }
  // A fresh project may have only apiproducts.yaml: the products directory is where imports go.
  const createdProductsDir = !existsSync(productsDir);
  if (createdProductsDir) mkdirSync(productsDir, { recursive: true });
  try {
    const project = loadValidProject(options);
    const target = pickTarget(project, options);
    const { kind, live: observed } = await observeOne(target, options.cwd, io);
    const live = scopeToOwner(observed, options.adoptFrom, target);
    const byKey = groupByKey(live);
    const keys = selectKeys(byKey, options.select, target);
    const counts = { written: 0, skipped: 0, failed: 0 };
    const shown = (path: string): string => displayPath(path, options.cwd);
    const report = (label: string, outcome: Outcome): void => {
      counts[outcome.kind] += 1;
      // Labels and messages name live products and quote servers: escaped onto their line.
      const line = (text: string) => escapeText(`${label}: ${text}`);
      if (outcome.kind === 'failed') io.err(io.style.red(`failed  `) + line(outcome.message) + '\n');
      else if (outcome.kind === 'skipped') io.out(io.style.dim(`skipped ${line(outcome.message)}`) + '\n');
      else {
        io.out(io.style.green('wrote   ') + escapeText(outcome.message) + '\n');
        for (const warning of outcome.warnings) io.err(io.style.yellow('warning ') + line(warning) + '\n');
      }
    };
    const chosen: LiveObject[] = [];
    for (const key of keys) {
      const live = oneObject(byKey.get(key)!);
      if (live?.managedBy !== undefined && options.adoptFrom === undefined) {
        const from = live.managedBy === '' ? "''" : live.managedBy;
        report(key, { kind: 'skipped', message: `managed by ${describeOwner(live.managedBy)} (another configuration on this portal); take it over with --adopt-from ${from}` });
      } else if (live) chosen.push(live);
      else report(key, { kind: 'failed', message: `${byKey.get(key)!.length} products on ${target.name} share this key; rename all but one in the portal, then import again` });
    }
    const inGit = keysInGit(project, target, kind);
    for (const document of kind.importObjects(chosen, target)) {
      const owned = document.keys.every((key) => chosen.find((object) => object.key === key)?.owned);
      report(document.spec.name, importDocument(document, owned, inGit, { project, target, kind, outDir, shown, secrets: io.secrets, schema: schemaReference('product', outDir, options.cwd) }));
    }
    const noun = counts.written === 1 ? 'product' : 'products';
    io.out(`\nImported ${counts.written} ${noun} from ${target.name} into ${shown(outDir)}/ (${counts.skipped} skipped, ${counts.failed} failed).\n`);
    if (counts.written > 0) io.out(IMPORT_HINT + '\n');
    if (counts.failed > 0 || counts.written === 0) {
      io.err(io.style.red('Error: ') + (counts.failed > 0 ? `${counts.failed} product${counts.failed === 1 ? '' : 's'} could not be imported` : 'nothing was imported: every selected product is already in Git') + '\n');
      return ExitCode.error;
    }
    return ExitCode.ok;
  } finally {
    if (createdProductsDir && existsSync(productsDir) && readdirSync(productsDir).length === 0) rmdirSync(productsDir);
  }
}

/**
 * With `--adopt-from OWNER`, only that owner's products: the others are not offered, so that
 * taking a team's products over never also imports (and adopts) unmarked ones.
 */
function scopeToOwner(live: LiveObject[], adoptFrom: string | undefined, target: TargetConfig): LiveObject[] {
  if (adoptFrom === undefined) return live;
  if (adoptFrom === (target.owner ?? '')) {
    throw new UserError(`--adopt-from ${adoptFrom === '' ? "''" : adoptFrom} names this configuration's own owner; its products are already this configuration's`);
  }
  const theirs = live.filter((object) => object.managedBy === adoptFrom);
  if (theirs.length === 0) throw new UserError(`target ${target.name} has no products managed by ${describeOwner(adoptFrom)}`);
  return theirs;
}

function resolveIn(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Import reads exactly one target: the one named by --target, or the only one defined. */
function pickTarget(project: ValidProject, options: ImportOptions): TargetConfig {
  const names = project.config.targets.map((t) => t.name).join(', ');
  if (options.targets.length > 1) throw new UserError(`import reads one target at a time; got --target ${options.targets.join(', ')}`);
  if (options.targets.length === 0 && project.config.targets.length !== 1) {
    throw new UserError(`import needs --target NAME: the target to import from (${project.config.file} defines: ${names})`);
  }
  return project.targets[0]!;
}

async function observeOne(target: TargetConfig, cwd: string, io: Pick<Io, 'env' | 'err' | 'secrets'>): Promise<{ kind: ProviderKind; live: LiveObject[] }> {
  const open = await openTargets([target], cwd, io, 'apiproducts import');
  try {
    const live = await observeTargets(open.providers);
    return { kind: open.sessions[0]!.kind, live: live.get(target.name)!.live };
  } finally {
    await open.close();
  }
}

function groupByKey(live: readonly LiveObject[]): Map<string, LiveObject[]> {
  const byKey = new Map<string, LiveObject[]>();
  for (const object of live) byKey.set(object.key, [...(byKey.get(object.key) ?? []), object]);
  return new Map([...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function selectKeys(byKey: ReadonlyMap<string, LiveObject[]>, select: readonly string[], target: TargetConfig): string[] {
  const available = [...byKey.keys()];
  if (available.length === 0) throw new UserError(`target ${target.name} has no products to import`);
  if (select.length === 0) return available;
  const unknown = select.filter((key) => !byKey.has(key));
  if (unknown.length > 0) {
    throw new UserError(
      `unknown product ${unknown.map((key) => `"${key}"`).join(', ')} on target ${target.name}; it has: ${available.join(', ')}`,
    );
  }
  return available.filter((key) => select.includes(key));
}

interface ImportContext {
  /** The `$schema` modeline's target, relative to outDir when the package is inside the project. */
  schema: string;
  project: ValidProject;
  target: TargetConfig;
  kind: ProviderKind;
  outDir: string;
  shown: (path: string) => string;
  secrets: SecretMasker;
}

type Outcome =
  | { kind: 'written'; message: string; warnings: string[] }
  | { kind: 'skipped'; message: string }
  | { kind: 'failed'; message: string };

/** Where an owned and an unowned product share a key, plan pairs Git with the owned one. */
function oneObject(candidates: readonly LiveObject[]): LiveObject | undefined {
  const owned = candidates.filter((object) => object.owned);
  return candidates.length === 1 ? candidates[0] : owned.length === 1 ? owned[0] : undefined;
}

/** Product names in Git, and the live keys their bindings to this target already cover (Apigee plans). */
function keysInGit(project: ValidProject, target: TargetConfig, kind: ProviderKind): Map<string, string> {
  const covered = new Map<string, string>();
  for (const source of project.products.products) covered.set(source.spec.name, source.file);
  for (const object of desiredObjects(project.products, target, kind)) covered.set(object.key, object.locate().file);
  return covered;
}

/** One document: checked first, then written with exclusive creates so that no file is ever overwritten. */
function importDocument(imported: ImportedProduct, owned: boolean, inGit: ReadonlyMap<string, string>, context: ImportContext): Outcome {
  const { target, outDir, shown } = context;
  const name = imported.spec.name;
  if (!PRODUCT_NAME.test(name)) {
    return { kind: 'failed', message: `"${name}" is not a valid product name (1-63 lowercase letters, digits, '.', '_' or '-'); rename the product in the portal, then import again` };
  }
  const definedIn = [name, ...imported.keys].map((key) => inGit.get(key)).find((file) => file !== undefined);
  if (definedIn) {
    const binds = context.project.products.products.some((source) => source.file === definedIn && Object.hasOwn(source.spec.targets, target.name));
    return { kind: 'skipped', message: `already defined in ${definedIn}${binds ? '' : ` (without a binding for ${target.name}: add one there, with adopt: true for a product apiproducts did not create)`}` };
  }
  const leaked = credentialIn(imported, context.secrets);
  if (leaked?.sent) {
    return { kind: 'failed', message: `${leaked.where} holds a credential this run sent to ${target.name} (shown as ***); not written: remove it from the product in the portal, rotate the credential, then import again` };
  }
  if (leaked) {
    return { kind: 'failed', message: `${leaked.where} holds what looks like ${leaked.label}, which a product file must not carry (validate refuses it as secret/literal); not written: remove it from the product in the portal, rotate it if it is real, then import again` };
  }
  const productFile = join(outDir, `${name}.yaml`);
  if (existsSync(productFile)) return { kind: 'skipped', message: `${shown(productFile)} already exists (not overwritten)` };

  const extra = Object.entries(imported.files).map(([path, content]) => ({ path: join(outDir, path), content }));
  for (const file of extra) {
    if (existsSync(file.path) && !(statSync(file.path).isFile() && readFileSync(file.path, 'utf8') === file.content)) {
      return { kind: 'failed', message: `${shown(file.path)} already exists with other content (not overwritten); move it away, or import with --out DIR` };
    }
  }
  const written: string[] = [];
  const write = (path: string, content: string): string | undefined => {
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content, { flag: 'wx' });
      return undefined;
    } catch (error) {
      // What was written before stays, and is named: the report says exactly what is on disk.
      return `cannot write ${shown(path)} (${describeReadError(error)})${written.length > 0 ? `; already written: ${written.join(', ')}` : ''}`;
    }
  };
  for (const file of extra) {
    if (existsSync(file.path)) continue; // the same content is already there
    const failed = write(file.path, file.content);
    if (failed) return { kind: 'failed', message: failed };
    written.push(shown(file.path));
  }
  const failed = write(productFile, renderProductYaml(imported.spec, context.schema));
  if (failed) return { kind: 'failed', message: failed };
  const from = imported.spec.targets[target.name]?.adoptFrom;
  const adopts = owned ? '' : typeof from === 'string' ? `; adoptFrom: taken over from ${describeOwner(from)} on the next apply` : '; adopt: true, not created by apiproducts';
  const also = written.length > 0 ? ` and ${written.join(', ')}` : '';
  return { kind: 'written', message: `${shown(productFile)}${also} (${imported.keys.join(', ')}${adopts})`, warnings: imported.warnings };
}

/**
 * Where a live product carries a credential (a token pasted into a description, say): masking it
 * would write `***` into Git as the desired value, and apply would then overwrite the portal with
 * it; writing it would commit the credential. Neither is right, so the product is not imported.
 * `sent`: one this run sent to the target; otherwise what validate's secret/literal check would
 * find in the product file (rules.ts, the same detector: the file would never pass validate). The
 * spec files are checked for sent credentials only, as validate does not scan them.
 */
function credentialIn(imported: ImportedProduct, secrets: SecretMasker): { where: string; sent: boolean; label?: string } | undefined {
  const sent = (text: string): string | undefined => (secrets.finds(text) ? 'a credential' : undefined);
  const field = fieldWith(imported.spec, sent, '');
  if (field !== undefined) return { where: `field ${field.path}`, sent: true };
  const file = Object.entries(imported.files).find(([, content]) => secrets.finds(content))?.[0];
  if (file !== undefined) return { where: `the file ${file}`, sent: true };
  const looksLike = fieldWith(imported.spec, detectSecret, '');
  return looksLike === undefined ? undefined : { where: `field ${looksLike.path}`, sent: false, label: looksLike.label };
}

/** The dotted path of the first key or string value under `value` that `holds` names (and what it holds). */
function fieldWith(value: unknown, holds: (text: string) => string | undefined, path: string): { path: string; label: string } | undefined {
  if (typeof value === 'string') {
    const label = holds(value);
    return label === undefined ? undefined : { path, label };
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    const label = holds(key);
    if (label !== undefined) return { path: at, label };
    const found = fieldWith(item, holds, at);
    if (found !== undefined) return found;
  }
  return undefined;
}
