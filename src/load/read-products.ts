import { lstatSync, readdirSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Diagnostic, SourcePosition } from '../model/diagnostic.ts';
import type { ReferencedFile } from '../model/referenced-file.ts';
import { isInside, RealPaths, realTarget } from './openapi-path.ts';
import { MIN_CACHED_FILES, openDocumentCache, type DocumentCache } from './document-cache.ts';
import { parsedPlainFile, parseYamlFile, type ParsedDocument, type ParsedFile } from './parse-yaml.ts';
import { displayPath } from './read-config.ts';
import { readReferencedFiles } from './referenced-files.ts';
import { describeReadError, readTextFile, statOf } from './read-text.ts';
import { positionIn } from './yaml-check.ts';

/** A file that went into the run, with its exact text: the config digest is computed from these. */
export interface ProjectFile {
  /** Relative to the working directory, forward slashes. */
  path: string;
  content: string;
}

/** A product file and the documents parsed from it, not validated yet. */
export interface LoadedProductFile {
  /** Relative to the working directory, as shown in diagnostics. */
  file: string;
  absolutePath: string;
  documents: ParsedDocument[];
  /** The files its documents refer to (`openapi:`), by the path as written, each read once. */
  referenced?: Record<string, ReferencedFile>;
}

export interface ReadProductsResult {
  /** Every product file with the documents that parsed (API descriptions left out), in path order. */
  products: LoadedProductFile[];
  /** Every product file read (also those with errors), in path order. */
  files: ProjectFile[];
  /** Problems of reading and parsing: the file, its text, its YAML. */
  diagnostics: Diagnostic[];
  /** The document cache the files were read through, to save what passed its checks. */
  cache?: DocumentCache;
}

export interface ReadProductsOptions {
  /** Read through the project's document cache (document-cache.ts); default true. */
  cache?: boolean;
}

/**
 * What a file under the products directory is, decided here and nowhere else (DESIGN §11):
 * - a product file: `*.yaml` / `*.yml` outside `specs/` whose documents have no top-level
 *   `openapi` or `swagger` key;
 * - a file some product references (`openapi: ./specs/x.yaml`): a file in a `specs/` directory,
 *   a `*.json` file, a YAML file with a top-level `openapi`/`swagger` key, or any other file;
 * - an error, for everything else: such a file that no product references (a product file with a
 *   stray `openapi:` key looks like an API description, and would otherwise vanish and be pruned),
 *   a symbolic link to a directory, anything that is not a regular file.
 * Ignored, by name: names starting with `.` (`.git`, `.DS_Store`, `.apiproducts`: tool state) and
 * `*.md` (a README next to the products); neither can be mistaken for a product. Symbolic links to
 * files are followed when they stay inside the project; links to directories are refused, not
 * followed: following them needs loop detection and can show one product under two paths, and a
 * file link does every job a directory link would.
 */
const SPECS_DIRECTORY = 'specs';

const TOO_LARGE_FIX = 'split it: one product per file (a product file is a few KiB)';

/**
 * Reads every product document under `dir` (recursively, in sorted path order), and the files they
 * refer to. Never throws for bad input. The project is `cwd` and the products directory: a product
 * file that is a symbolic link to a file outside both is not read, and `openapi:` paths may not
 * leave them either.
 */
export function readProducts(dir: string, cwd: string, options: ReadProductsOptions = {}): ReadProductsResult {
  const reader = productsReader(dir, cwd, options);
  for (const entry of reader.entries) reader.read(entry);
  return reader.finish();
}

/**
 * readProducts, giving the event loop a turn every few milliseconds of reading (`pause`), so that
 * requests already sent (the live state of the targets, read while the project loads) are
 * answered and followed up meanwhile. Same result as readProducts.
 */
export async function readProductsPausing(dir: string, cwd: string, pause: () => Promise<void> | undefined, options: ReadProductsOptions = {}): Promise<ReadProductsResult> {
  const reader = productsReader(dir, cwd, options);
  for (const entry of reader.entries) {
    reader.read(entry);
    await pause();
  }
  return reader.finish();
}

/** The files to read, how to read one, and what is known once all are read: readProducts in steps. */
function productsReader(dir: string, cwd: string, options: ReadProductsOptions): { entries: readonly ListedFile[]; read: (entry: ListedFile) => void; finish: () => ReadProductsResult } {
  const root = isAbsolute(dir) ? dir : resolve(cwd, dir);
  const shownRoot = displayPath(root, cwd);
  const diagnostics: Diagnostic[] = [];
  const products: LoadedProductFile[] = [];
  const files: ProjectFile[] = [];
  const specs = new Map<string, ReferencedFile>();
  const projectRoots = [resolve(cwd), root];
  const realPaths = new RealPaths();
  const rootStats = statOf(root);
  if (!rootStats?.isDirectory()) {
    const isFile = rootStats !== undefined;
    diagnostics.push({
      severity: 'error',
      rule: 'products/missing',
      message: isFile ? `the products directory ${shownRoot} is a file, not a directory` : `products directory ${shownRoot}/ not found`,
      fix: 'run in the directory that holds products/, or point at it with --products DIR',
    });
    return { entries: [], read: () => undefined, finish: () => ({ products, files, diagnostics }) };
  }
  const listed = listFiles(root);
  const cache = options.cache !== false && listed.filter((entry) => entry.kind === 'product').length >= MIN_CACHED_FILES ? openDocumentCache(cwd) : undefined;
  // Files that are not products: each must be referenced by one (known once every product is read).
  const described: { entry: ListedFile; file: string; at: SourcePosition; strayKey: boolean }[] = [];
  const refuse = (file: string, rule: string, message: string, fix: string, at?: SourcePosition) =>
    diagnostics.push({ severity: 'error', rule, message, fix, source: at ?? { file, line: 1, column: 1 } });
  const read = (entry: ListedFile): void => {
    const file = displayPath(entry.path, cwd);
    if (entry.kind === 'directory-link') {
      refuse(file, 'products/link-to-directory', 'the directory is a symbolic link; links to directories under products/ are not followed, so nothing in it was read', 'move the directory into products/, or link each file instead');
      return;
    }
    if (entry.kind === 'unreadable-directory') {
      refuse(file, 'file/unreadable', `the directory cannot be read (${entry.reason}); nothing in it was read`, 'check its permissions: the user running apiproducts must be able to list and enter it');
      return;
    }
    if (entry.kind === 'special') {
      refuse(file, 'products/not-a-file', 'this is not a regular file (a device, socket or pipe); it was not read', 'remove it from products/');
      return;
    }
    if (entry.kind === 'spec' || entry.kind === 'other') {
      described.push({ entry, file, at: { file, line: 1, column: 1 }, strayKey: false });
      return;
    }
    if (entry.isLink && linksOutside(entry.path, projectRoots, realPaths)) {
      refuse(file, 'products/link-outside-project', 'the file is a symbolic link to a file outside the project directory; it was not read', 'copy the product file into the project instead of linking to it');
      return;
    }
    const text = readTextFile(entry.path, file, 'a product file', TOO_LARGE_FIX, { listedRegular: !entry.isLink });
    diagnostics.push(...text.diagnostics);
    const content = text.content;
    if (content === undefined) return;
    const parsed = cache ? parseThroughCache(content, file, cache) : parseYamlFile(content, file);
    if (parsed.apiDescription) {
      const key = /^(openapi|swagger)[ \t]*:/m.exec(content);
      const at = key ? positionIn(content, key.index, file) : { file, line: 1, column: 1 };
      described.push({ entry, file, at, strayKey: /^(?:name|targets)[ \t]*:/m.test(content) });
      return;
    }
    files.push({ path: file, content: parsed.text ?? content });
    diagnostics.push(...parsed.diagnostics);
    if (parsed.documents.length === 0 && !parsed.diagnostics.some((d) => d.severity === 'error')) {
      diagnostics.push({
        severity: 'error',
        rule: 'products/empty-file',
        message: content.trim() === '' ? 'the file is empty' : 'the file holds no product: only comments or empty documents',
        fix: 'write the product (name: …, targets: …), or delete the file to remove the product',
        source: { file, line: 1, column: 1 },
      });
    }
    const product: LoadedProductFile = { file, absolutePath: entry.path, documents: parsed.documents };
    for (const document of parsed.documents) {
      const referenced = readReferencedFiles(document.value, product, projectRoots, specs, realPaths, cache);
      if (referenced) product.referenced = { ...product.referenced, ...referenced };
    }
    products.push(product);
  };
  const finish = (): ReadProductsResult => {
    if (!listed.some((entry) => entry.kind === 'product' || entry.kind === 'unreadable-directory')) {
      diagnostics.push({
        severity: 'warning',
        rule: 'products/none',
        message: `no product files (*.yaml, *.yml) found under ${shownRoot}/`,
        fix: 'add a product file, or point at the right directory with --products DIR',
      });
    }
    // After every product is read: only then is it known which descriptions some product references
    // (by the path as written, also when that path is refused: the product's error says why).
    const referenced = new Set(products.flatMap((p) => Object.keys(p.referenced ?? {}).map((written) => resolve(dirname(p.absolutePath), written))));
    for (const { entry, file, at, strayKey } of described) {
      if (referenced.has(entry.path)) continue;
      if (entry.kind === 'other') {
        refuse(file, 'products/unknown-file', 'the file is neither a product (*.yaml, *.yml) nor an OpenAPI document a product references; it was not read', 'move it out of products/ (a file whose name starts with . or ends in .md is left alone)');
      } else if (strayKey) {
        refuse(file, 'products/stray-openapi-key', 'this product file has a top-level openapi/swagger key, which makes it an OpenAPI document, and no product references it; it was not read as a product', 'remove the key (an external product names its OpenAPI document in targets.<target>.openapi)', at);
      } else {
        refuse(file, 'products/unreferenced-spec', 'this OpenAPI document is referenced by no product (targets.<target>.openapi); it was not read', 'reference it from a product, or move it out of products/', at);
      }
    }
    return { products, files, diagnostics, ...(cache ? { cache } : {}) };
  };
  return { entries: listed, read, finish };
}

/** A file whose text is in the cache comes from it; a plain one-document file gets the key to be cached under. */
function parseThroughCache(content: string, file: string, cache: DocumentCache): ParsedFile {
  const { key, value } = cache.lookup(content, 'product');
  if (value !== undefined) {
    const parsed = parsedPlainFile(value, content, file);
    parsed.documents[0]!.fromCache = true;
    return parsed;
  }
  const parsed = parseYamlFile(content, file);
  // The text kept is the plain path's (parse-yaml.ts): a file the check did not need to explain.
  if (parsed.text !== undefined && parsed.documents.length === 1 && !parsed.apiDescription) parsed.documents[0]!.cacheKey = key;
  return parsed;
}

/** A symbolic link (the file or a directory on its way) whose real location is outside every root. */
function linksOutside(file: string, roots: readonly string[], realPaths: RealPaths): boolean {
  try {
    if (!lstatSync(file).isSymbolicLink()) return false;
    const real = realTarget(file, realPaths);
    if (real === undefined) return false;
    return !roots.some((root) => isInside(real, realPaths.of(root)));
  } catch {
    return false; // gone since it was listed: reading it reports the problem
  }
}

interface ListedFile {
  path: string;
  /**
   * What its name and type say it is; its text may still make a `product` an API description.
   * A `spec` or `other` file is fine when a product references it, an error when none does.
   */
  kind: 'product' | 'spec' | 'other' | 'directory-link' | 'special' | 'unreadable-directory';
  isLink: boolean;
  /** Why an unreadable directory could not be listed (`EACCES: permission denied`). */
  reason?: string;
}

/** Every entry not starting with `.`, sorted by code point, not locale, so every machine reads files in the same order. */
function listFiles(dir: string, inSpecs = false): ListedFile[] {
  let listed: Dirent[];
  try {
    listed = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    // Reported where it is (products/ itself or a directory in it), never thrown: the rest is still read.
    return [{ path: dir, kind: 'unreadable-directory', isLink: false, reason: describeReadError(error) }];
  }
  const entries = listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: ListedFile[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || /\.md$/i.test(entry.name)) continue;
    const path = join(dir, entry.name);
    const isLink = entry.isSymbolicLink();
    if (entry.isDirectory()) {
      found.push(...listFiles(path, inSpecs || entry.name === SPECS_DIRECTORY));
    } else if (isLink && statOf(path)?.isDirectory()) {
      found.push({ path, kind: 'directory-link', isLink });
    } else if (!entry.isFile() && !isLink) {
      found.push({ path, kind: 'special', isLink });
    } else {
      // A dangling link is listed too: where it points decides whether it is reported as outside
      // the project or as missing.
      const yaml = /\.ya?ml$/i.test(entry.name);
      const kind = /\.json$/i.test(entry.name) || (inSpecs && yaml) ? 'spec' : yaml ? 'product' : 'other';
      found.push({ path, kind, isLink });
    }
  }
  return found;
}
