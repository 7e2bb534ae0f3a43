import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { ProductSet, ProductSource, ProductSpec } from '../model/product.ts';
import { checkSecretLiterals } from '../validate/rules.ts';
import { validateSchema } from '../validate/schema.ts';
import { parseYamlFile } from './parse-yaml.ts';
import { displayPath } from './read-config.ts';

/** A file that went into the run, with its exact text: the config digest is computed from these. */
export interface ProjectFile {
  /** Relative to the working directory, forward slashes. */
  path: string;
  content: string;
}

export interface ReadProductsResult {
  /** Documents that parsed and match the product schema; the others are reported, not returned. */
  products: ProductSet;
  /** Every product file read (also those with errors), in path order. */
  files: ProjectFile[];
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

/** Reads every product document under `dir` (recursively, in sorted path order). Never throws for bad input. */
export function readProducts(dir: string, cwd: string): ReadProductsResult {
  const root = isAbsolute(dir) ? dir : resolve(cwd, dir);
  const shownRoot = displayPath(root, cwd);
  const diagnostics: Diagnostic[] = [];
  const products: ProductSource[] = [];
  const files: ProjectFile[] = [];
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    diagnostics.push({
      severity: 'error',
      rule: 'products/missing',
      message: `products directory ${shownRoot}/ not found`,
      fix: 'run in the directory that holds products/, or point at it with --products DIR',
    });
    return { products: { products }, files, diagnostics };
  }
  for (const absolutePath of listYamlFiles(root)) {
    const file = displayPath(absolutePath, cwd);
    const content = readFileSync(absolutePath, 'utf8');
    const parsed = parseYamlFile(content, file);
    if (parsed.topLevelKeys.includes('openapi') || parsed.topLevelKeys.includes('swagger')) continue;
    files.push({ path: file, content });
    diagnostics.push(...parsed.diagnostics);
    for (const document of parsed.documents) {
      // Secrets first and regardless of the schema: a token must be reported even in a broken file.
      diagnostics.push(...checkSecretLiterals(document.value, document.locator.locate));
      const schema = validateSchema('product', document.value, document.locator);
      diagnostics.push(...schema.diagnostics);
      if (!schema.valid) continue;
      const source: ProductSource & { locateKey: ProductSource['locate'] } = {
        spec: document.value as ProductSpec,
        file,
        absolutePath,
        locate: document.locator.locate,
        locateKey: document.locator.locateKey,
      };
      products.push(source);
    }
  }
  if (files.length === 0) {
    diagnostics.push({
      severity: 'warning',
      rule: 'products/none',
      message: `no product files (*.yaml, *.yml) found under ${shownRoot}/`,
      fix: 'add a product file, or point at the right directory with --products DIR',
    });
  }
  return { products: { products }, files, diagnostics };
}

/** Sorted by code point, not locale, so every machine reads files in the same order. */
function listYamlFiles(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) found.push(...listYamlFiles(path));
    } else if (/\.ya?ml$/i.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && isFile(path)))) {
      // Symlinked files are followed; symlinked directories are not (no loops to guard against).
      found.push(path);
    }
  }
  return found;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // a dangling link
  }
}
