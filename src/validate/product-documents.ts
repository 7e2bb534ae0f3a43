import type { Diagnostic, SourcePosition } from '../model/diagnostic.ts';
import type { ProductSource, ProductSpec } from '../model/product.ts';
import { collectSecrets } from '../model/secrets.ts';
import type { CachedDocument } from '../load/document-cache.ts';
import type { LoadedProductFile } from '../load/read-products.ts';
import { characterFinder } from './characters.ts';
import { checkLabelKeys } from './label-keys.ts';
import { numberFinder } from './numbers.ts';
import { secretLiteralFinder } from './rules.ts';
import { validateSchema } from './schema.ts';
import { findAll } from './walk-document.ts';

export interface CheckedProducts {
  /** Documents that match the product schema; the others are reported, not returned. */
  products: ProductSource[];
  diagnostics: Diagnostic[];
  /** Strings that look like credentials (values or keys): kept out of every message. */
  secrets: string[];
  /**
   * Documents the schema refused whose `targets:` and `labels:` can still be read: the rules that
   * need only those run on them too, so that a file's first problem does not hide the others.
   */
  refused: RefusedProduct[];
  /** Documents the cache can hold (ParsedDocument.cacheKey) on which these checks found nothing: saved for the next run. */
  passed: CachedDocument[];
}

export interface RefusedProduct {
  source: ProductSource;
  /**
   * The targets whose effective product the schema found nothing wrong with: every problem lies
   * inside another target's binding. The provider rules can run on these bindings. Empty when a
   * problem lies outside `targets:` (the top-level fields feed every binding).
   */
  soundTargets: string[];
}

/**
 * Every loaded product document: secrets, schema, characters, numbers; then, on the schema-valid
 * ones, label keys. The schema-valid ones become products (look-alike labels are errors, so a
 * run stops before using them). A document from the document cache passed all of them on the same
 * text with the same code (load/document-cache.ts), so it becomes a product unchecked.
 */
export function checkProductDocuments(files: readonly LoadedProductFile[]): CheckedProducts {
  const diagnostics: Diagnostic[] = [];
  const products: ProductSource[] = [];
  const secrets: string[] = [];
  const refused: RefusedProduct[] = [];
  const passed: CachedDocument[] = [];
  for (const { file, absolutePath, documents, referenced } of files) {
    for (const document of documents) {
      const { locate, locateKey } = document.locator;
      const source = { spec: document.value as ProductSpec, file, absolutePath, locate, locateKey, referenced } as ProductSource;
      if (document.fromCache) {
        products.push(source);
        continue;
      }
      // One walk for the secrets, characters and numbers. Secrets first and regardless of the
      // schema: a token must be reported even in a broken file.
      const [literals, characters, numbers] = findAll(document.value, [secretLiteralFinder(locate, locateKey), characterFinder(locate, locateKey), numberFinder(locate)]) as [Diagnostic[], Diagnostic[], Diagnostic[]];
      diagnostics.push(...literals);
      // The same detector: a document with no finding has nothing to mask, and scanning twice is half the load time.
      if (literals.length > 0) secrets.push(...collectSecrets(document.value));
      const schema = validateSchema('product', document.value, document.locator);
      // A name the schema refuses is reported once, by the schema, with the character shown.
      const schemaAt = new Set(schema.diagnostics.map((d) => positionKey(d.source)));
      const found = [...characters, ...numbers];
      diagnostics.push(...found.filter((d) => !schemaAt.has(positionKey(d.source))));
      diagnostics.push(...schema.diagnostics);
      if (!schema.valid) {
        if (!readableBindings(document.value)) continue;
        diagnostics.push(...checkLabelKeys(document.value as ProductSpec, locateKey));
        refused.push({ source, soundTargets: soundTargets(document.value as ProductSpec, schema.paths) });
        continue;
      }
      const labels = checkLabelKeys(document.value as ProductSpec, locateKey);
      diagnostics.push(...labels);
      products.push(source);
      if (document.cacheKey !== undefined && literals.length + found.length + schema.diagnostics.length + labels.length === 0) passed.push({ key: document.cacheKey, value: document.value });
    }
  }
  return { products, diagnostics, secrets, refused, passed };
}

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `targets:` a mapping of mappings and `labels:` absent or a mapping: what checkLabelKeys and the unknown-target rule read. */
function readableBindings(value: unknown): boolean {
  if (!isMapping(value) || !isMapping(value.targets)) return false;
  if (value.labels !== undefined && !isMapping(value.labels)) return false;
  return Object.values(value.targets).every((block) => isMapping(block) && (block.labels === undefined || isMapping(block.labels)));
}

function soundTargets(spec: ProductSpec, problems: readonly string[][]): string[] {
  const broken = new Set<string>();
  for (const path of problems) {
    if (path.length < 2 || path[0] !== 'targets') return [];
    broken.add(path[1]!);
  }
  return Object.keys(spec.targets).filter((target) => !broken.has(target));
}

export function positionKey(source: SourcePosition | undefined): string {
  return source ? `${source.file}:${source.line}:${source.column}` : '';
}
