import { createHash, hash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Product documents already read and checked, by the exact text of their file: a no-change plan of
 * an unchanged checkout reads each file, but parses and checks only what changed since the last
 * run (as ESLint's and Prettier's caches do with their `content` strategy; never by modification
 * time, which a checkout or a copy does not keep honest). An entry is a plain file's one document
 * (plain-yaml.ts) on which every check of its own found nothing (validate/product-documents.ts:
 * secrets, characters, numbers, the schema, label keys), so it holds what the file itself holds in
 * Git, never a finding. The rules across files (names, targets,
 * providers, policies) run on every document every time.
 *
 * Entries are valid only for the code that made them: every shard names a digest of apiproducts'
 * own modules and of js-yaml's (codeIdentity), so an upgrade, a rebuild or a local change starts
 * afresh. A shard that cannot be read or parsed is treated as empty; a shard is written to a
 * temporary file and renamed, so a reader sees the old one or the new one; a cache that cannot be
 * written is left alone. Nothing here ever changes what a run reports.
 *
 * Where: outside the project (cacheDirectory), never in the checkout: a shard committed to the
 * repository would otherwise give a plan, and an apply on merge, values that no product file holds.
 *
 * Layout: `<cacheDirectory>/<p|o><hex digit>.json`, 16 shards per kind (product, OpenAPI) by the
 * digest of the text, so that an edit rewrites a sixteenth of the cache and no read
 * holds it all as one string (256 shards cost a cold run of 10,000 files about 25 ms more in
 * renames alone).
 */
export interface DocumentCache {
  /** The cached value of a file of this kind with this text (`value`), or only the key to remember it under. */
  lookup(text: string, kind: CachedKind): { key: string; value?: unknown };
  /** Keeps a value to be written with the next save (an OpenAPI document, which has no checks of its own). */
  remember(kind: CachedKind, key: string, value: unknown): void;
  /** Writes what was remembered and the documents that passed their checks this run (never throws). */
  save(passed: readonly CachedDocument[]): void;
}

/**
 * `product`: a plain product file's document, cached once its own checks pass; `openapi`: the
 * value of a YAML OpenAPI document a product refers to (a JSON one is read faster than its entry).
 */
export type CachedKind = 'product' | 'openapi';

/** A product document that passed its checks, under its key (lookup). */
export interface CachedDocument {
  key: string;
  value: unknown;
}

/** Fewer product files than this are read faster than the cache's own shards and code digest. */
export const MIN_CACHED_FILES = 200;

/**
 * The cache of the project in `cwd`: `$APIPRODUCTS_CACHE_DIR`, else `$XDG_CACHE_HOME/apiproducts`,
 * else `~/.cache/apiproducts`, then a directory per project (a digest of its absolute path), so
 * that one project's runs never drop another's entries.
 */
export function cacheDirectory(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const root = env['APIPRODUCTS_CACHE_DIR'] || join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'apiproducts');
  return join(root, `documents-${hash('sha256', resolve(cwd), 'hex').slice(0, 16)}`);
}

/**
 * The cache of the project in `cwd`; `identity` replaces the digest of the code (tests). None when
 * the code cannot be read to digest it (an unusual install): the run reads every file, as without.
 */
export function openDocumentCache(cwd: string, identity = codeIdentity()): DocumentCache | undefined {
  if (identity === undefined) return undefined;
  const directory = cacheDirectory(cwd);
  const shards = new Map<string, Map<string, unknown>>();
  // Entries found this run, by shard: what a rewritten shard keeps besides the new ones.
  const used = new Map<string, Map<string, unknown>>();
  const shardOf = (id: string): Map<string, unknown> => {
    let shard = shards.get(id);
    if (!shard) shards.set(id, (shard = readShard(join(directory, `${id}.json`), identity)));
    return shard;
  };
  const changed = new Set<string>();
  const remember = (kind: CachedKind, key: string, value: unknown): void => {
    if (!survivesJson(value)) return;
    const id = shardId(kind, key);
    usedShard(used, id).set(key, value);
    changed.add(id);
  };
  return {
    lookup: (text, kind) => {
      // The digest alone (one flat string; 100,000 keys are kept until the save): the kind is in the shard's name.
      const key = hash('sha256', text, 'base64url');
      const id = shardId(kind, key);
      const shard = shardOf(id);
      const value = shard.get(key);
      // Every entry is a mapping (a product document, an OpenAPI document); anything else in a shard
      // that still parses (edited, or written by something else) is a miss, never a value.
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return { key };
      // Taken out: a second file with the same text is read and checked itself, so no two products share one value.
      shard.delete(key);
      usedShard(used, id).set(key, value);
      return { key, value };
    },
    remember,
    save: (passed) => {
      for (const { key, value } of passed) remember('product', key, value);
      if (changed.size === 0) return;
      try {
        mkdirSync(directory, { recursive: true });
        for (const id of changed) writeShard(join(directory, `${id}.json`), identity, used.get(id)!);
      } catch {
        // A read-only checkout, a full disk: the next run parses again, nothing else changes.
      }
    },
  };
}

const KIND_LETTER: Record<CachedKind, string> = { product: 'p', openapi: 'o' };
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The kind's letter and the first 4 bits of the digest as a hex digit (not the base64 character:
 * file names that differ in case only are one file on macOS and Windows).
 */
function shardId(kind: CachedKind, key: string): string {
  return KIND_LETTER[kind] + (BASE64URL.indexOf(key[0]!) >> 2).toString(16);
}

function usedShard(used: Map<string, Map<string, unknown>>, id: string): Map<string, unknown> {
  let shard = used.get(id);
  if (!shard) used.set(id, (shard = new Map()));
  return shard;
}

interface ShardFile {
  identity: string;
  entries: Record<string, unknown>;
}

function readShard(path: string, identity: string): Map<string, unknown> {
  try {
    const shard = JSON.parse(readFileSync(path, 'utf8')) as ShardFile;
    if (shard.identity !== identity || typeof shard.entries !== 'object' || shard.entries === null) return new Map();
    return new Map(Object.entries(shard.entries));
  } catch {
    return new Map(); // none yet, or not ours to read: parse the files
  }
}

/**
 * The shard as JSON, written a piece at a time: at 100,000 products one string of a shard (about
 * 4 MB) and an object of its entries, made while the whole project is in memory, raised the peak
 * RSS of a first run by about 250 MB.
 */
function writeShard(path: string, identity: string, entries: ReadonlyMap<string, unknown>): void {
  const temporary = `${path}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'w');
    let pending = `{"identity":${JSON.stringify(identity)},"entries":{`;
    let first = true;
    for (const [key, value] of entries) {
      pending += `${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`;
      first = false;
      if (pending.length >= WRITE_CHUNK) {
        writeSync(fd, pending);
        pending = '';
      }
    }
    writeSync(fd, pending + '}}');
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
  }
}

const WRITE_CHUNK = 64 * 1024;

/**
 * JSON gives the same value back: YAML's `.nan`, `.inf` and `-0` would come back as null or 0, and
 * an object reached twice (a YAML alias) as two copies (as many as the aliases expand to), so a
 * value holding one is not cached. Strings, booleans, null, other numbers, lists and mappings (own
 * keys, in their order) survive as they are.
 */
function survivesJson(value: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'number') {
      if (!Number.isFinite(item) || Object.is(item, -0)) return false;
    } else if (typeof item === 'object' && item !== null) {
      if (seen.has(item)) return false;
      seen.add(item);
      for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push(child);
    }
  }
  return true;
}

/**
 * The code an entry was made by: every module of apiproducts (compiled or, under tsx, its sources),
 * js-yaml's, ajv's version and Node's, hashed together. About 3 ms; read once per run that uses the cache.
 */
function codeIdentity(): string | undefined {
  try {
    const here = fileURLToPath(import.meta.url);
    const root = dirname(dirname(here)); // dist/src or src
    const digest = createHash('sha256');
    for (const file of modulesUnder(root, here.slice(here.lastIndexOf('.')))) digest.update(file.slice(root.length)).update('\0').update(readFileSync(file));
    digest.update(readFileSync(fileURLToPath(import.meta.resolve('js-yaml'))));
    // What else a cached entry's checks ran on: the compiled schema's ajv runtime, and Node's own
    // Unicode tables (NFKC and \p{…} in the character and label-key checks).
    digest.update(readFileSync(join(dirname(fileURLToPath(import.meta.resolve('ajv'))), '..', 'package.json')));
    return digest.update(`${process.versions.node}\0${process.versions.icu ?? ''}\0${process.versions.unicode ?? ''}`).digest('hex');
  } catch {
    return undefined;
  }
}

function modulesUnder(directory: string, extension: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) found.push(...modulesUnder(path, extension));
    else if (entry.name.endsWith(extension)) found.push(path);
  }
  return found;
}
