import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { ReferencedFile } from '../model/referenced-file.ts';
import { realTarget } from './openapi-path.ts';
import { parseYamlFile, type ParsedDocument } from './parse-yaml.ts';
import { displayPath } from './read-config.ts';
import { readReferencedFiles } from './referenced-files.ts';
import { readTextFile } from './read-text.ts';

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
}

/**
 * Which YAML files are product files. OpenAPI documents referenced by external products
 * (`openapi: ./specs/x.yaml`) live in the same tree, so two rules keep them out:
 * - a directory named `specs` is not searched at all (the convention the examples follow);
 * - a file whose top level has an `openapi` or `swagger` key is an API description, not a product.
 * Hidden directories (`.git`, `.apiproducts`) and `node_modules` are skipped too.
 */
const SKIPPED_DIRECTORIES = new Set(['specs', 'node_modules']);

const TOO_LARGE_FIX = 'split it: one product per file (a product file is a few KiB)';

/**
 * Reads every product document under `dir` (recursively, in sorted path order), and the files they
 * refer to. Never throws for bad input. The project is `cwd` and the products directory: a product
 * file that is a symbolic link to a file outside both is not read, and `openapi:` paths may not
 * leave them either.
 */
export function readProducts(dir: string, cwd: string): ReadProductsResult {
  const root = isAbsolute(dir) ? dir : resolve(cwd, dir);
  const shownRoot = displayPath(root, cwd);
  const diagnostics: Diagnostic[] = [];
  const products: LoadedProductFile[] = [];
  const files: ProjectFile[] = [];
  const specs = new Map<string, ReferencedFile>();
  const projectRoots = [resolve(cwd), root];
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    diagnostics.push({
      severity: 'error',
      rule: 'products/missing',
      message: `products directory ${shownRoot}/ not found`,
      fix: 'run in the directory that holds products/, or point at it with --products DIR',
    });
    return { products, files, diagnostics };
  }
  const listed = listYamlFiles(root);
  for (const { path: absolutePath, isLink } of listed) {
    const file = displayPath(absolutePath, cwd);
    if (isLink && linksOutside(absolutePath, projectRoots)) {
      diagnostics.push({
        severity: 'error',
        rule: 'products/link-outside-project',
        message: 'the file is a symbolic link to a file outside the project directory; it was not read',
        fix: 'copy the product file into the project instead of linking to it',
        source: { file, line: 1, column: 1 },
      });
      continue;
    }
    const text = readTextFile(absolutePath, file, 'a product file', TOO_LARGE_FIX);
    diagnostics.push(...text.diagnostics);
    const content = text.content;
    if (content === undefined) continue;
    const parsed = parseYamlFile(content, file);
    if (parsed.apiDescription) continue;
    files.push({ path: file, content });
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
    const product: LoadedProductFile = { file, absolutePath, documents: parsed.documents };
    for (const document of parsed.documents) {
      const referenced = readReferencedFiles(document.value, product, projectRoots, specs);
      if (referenced) product.referenced = { ...product.referenced, ...referenced };
    }
    products.push(product);
  }
  if (listed.length === 0) {
    diagnostics.push({
      severity: 'warning',
      rule: 'products/none',
      message: `no product files (*.yaml, *.yml) found under ${shownRoot}/`,
      fix: 'add a product file, or point at the right directory with --products DIR',
    });
  }
  return { products, files, diagnostics };
}

/** A symbolic link (the file or a directory on its way) whose real location is outside every root. */
function linksOutside(file: string, roots: readonly string[]): boolean {
  try {
    if (!lstatSync(file).isSymbolicLink()) return false;
    const real = realTarget(file);
    if (real === undefined) return false;
    return !roots.some((root) => {
      const rel = relative(realpathSync(root), real);
      return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
    });
  } catch {
    return false; // gone since it was listed: reading it reports the problem
  }
}

/** Sorted by code point, not locale, so every machine reads files in the same order. */
function listYamlFiles(dir: string): { path: string; isLink: boolean }[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: { path: string; isLink: boolean }[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) found.push(...listYamlFiles(path));
    } else if (/\.ya?ml$/i.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && !isDirectory(path)))) {
      // Symlinked files are followed; symlinked directories are not (no loops to guard against).
      // A dangling link is listed too: where it points decides whether it is reported as outside
      // the project or as missing.
      found.push({ path, isLink: entry.isSymbolicLink() });
    }
  }
  return found;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a dangling link
  }
}
