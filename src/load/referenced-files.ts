import path from 'node:path';
import type { ReferencedFile } from '../model/referenced-file.ts';
import { locateOpenapi, RealPaths } from './openapi-path.ts';
import { compactIndexKeys } from './index-keys.ts';
import { readBoundedFile } from './read-text.ts';
import { parseYamlFile } from './parse-yaml.ts';
import type { DocumentCache } from './document-cache.ts';
import { detectSecret } from '../model/secrets.ts';

/** OpenAPI documents of large APIs run to a few MiB; beyond this one is refused before it is read. */
export const MAX_OPENAPI_BYTES = 16 * 1024 * 1024;

/**
 * Reads the files a product document's bindings refer to (`targets.<t>.openapi`), by the path as
 * written. `cache` (by absolute path) is shared by the whole load: a spec that several products
 * use is read and parsed once. The document is not schema-checked yet, so any shape is expected.
 */
export function readReferencedFiles(
  value: unknown,
  product: { file: string; absolutePath: string },
  roots: readonly string[],
  cache: Map<string, ReferencedFile>,
  realPaths = new RealPaths(),
  documents?: DocumentCache,
): Record<string, ReferencedFile> | undefined {
  const targets = isRecord(value) && isRecord(value['targets']) ? Object.values(value['targets']) : [];
  let found: Record<string, ReferencedFile> | undefined;
  for (const binding of targets) {
    const openapi = isRecord(binding) ? binding['openapi'] : undefined;
    if (typeof openapi !== 'string' || openapi === '' || (found && Object.hasOwn(found, openapi))) continue;
    found ??= {};
    const location = locateOpenapi(product.absolutePath, openapi, roots, realPaths);
    if (!('absolute' in location)) {
      found[openapi] = { status: 'outside-project', problem: location.problem, fix: location.fix };
      continue;
    }
    let file = cache.get(location.absolute);
    if (!file) {
      file = readOpenapiFile(location.absolute, path.join(path.dirname(product.file), openapi), documents);
      cache.set(location.absolute, file);
    }
    found[openapi] = file;
  }
  return found;
}

/** Reads and parses an OpenAPI document (JSON or YAML), or says why it cannot be used; never throws. */
function readOpenapiFile(absolute: string, shown: string, documents?: DocumentCache): ReferencedFile {
  let text: string;
  try {
    const read = readBoundedFile(absolute, MAX_OPENAPI_BYTES);
    if (!('bytes' in read)) {
      const stat = read.stats;
      if (stat.isDirectory()) return { status: 'unreadable', problem: `OpenAPI file ${shown} is a directory`, fix: 'point openapi at the OpenAPI document itself, e.g. ./specs/weather.yaml' };
      if (!stat.isFile()) return { status: 'unreadable', problem: `OpenAPI file ${shown} is not a regular file`, fix: 'point openapi at an OpenAPI document in the project' };
      return { status: 'unreadable', problem: `OpenAPI file ${shown} is ${(stat.size / 1024 / 1024).toFixed(1)} MiB; at most 16 MiB is read`, fix: 'split the API, or remove what the portal does not need (examples, vendor extensions)' };
    }
    text = read.bytes.toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing', problem: `OpenAPI file ${shown} does not exist`, fix: 'fix the path: it is resolved relative to the product file' };
    return { status: 'unreadable', problem: `OpenAPI file ${shown} cannot be read (${code})`, fix: 'check the file permissions' };
  }
  const parsed = documents && !looksLikeJson(text) ? parseThroughCache(text, shown, documents) : parseOpenapiText(text, shown);
  if ('reason' in parsed) return { status: 'invalid', problem: `OpenAPI file ${shown} is not valid YAML or JSON: ${parsed.reason}`, fix: 'fix the syntax of the file' };
  return { status: 'read', text, value: parsed.value };
}

/**
 * Most specs are JSON, which JSON.parse reads fastest (a repeated key: the last one wins, as the
 * portal reads it); the rest with the loader's YAML reader and its limits. The first error, with
 * its line and column.
 */
export function parseOpenapiText(text: string, shown: string): { value: unknown } | { reason: string } {
  if (looksLikeJson(text)) {
    try {
      return { value: JSON.parse(text) as unknown };
    } catch {
      // not JSON after all: YAML explains where it goes wrong
    }
  }
  const parsed = parseYamlFile(text, shown);
  const error = parsed.diagnostics.find((d) => d.severity === 'error');
  if (error) return { reason: `${error.message}${error.source ? ` at line ${error.source.line}, column ${error.source.column}` : ''}` };
  const value = parsed.documents[0]?.value ?? null;
  // Status codes as keys: the value is kept for the whole run (index-keys.ts).
  compactIndexKeys(value);
  return { value };
}

const looksLikeJson = (text: string): boolean => /^\s*[{[]/.test(text);

/** A YAML document's value from the document cache, or parsed and remembered for the next run. */
function parseThroughCache(text: string, shown: string, documents: DocumentCache): { value: unknown } | { reason: string } {
  const { key, value } = documents.lookup(text, 'openapi');
  if (value !== undefined) return { value };
  const parsed = parseOpenapiText(text, shown);
  // Never a credential in the cache (document-cache.ts), though nothing checks an OpenAPI document
  // for one: a document with anything the secret check would find is parsed on every run instead.
  if ('value' in parsed && detectSecret(text) === undefined) documents.remember('openapi', key, parsed.value);
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
