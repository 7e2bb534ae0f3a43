/**
 * An OpenAPI document's text → its operations (model/api-operations.ts), for a plan that shows
 * operations instead of a digest. Reads Git's document and the one a portal returns alike.
 *
 * `$ref`s are resolved by @apidevtools/json-schema-ref-parser (the dereferencer under
 * swagger-parser and @readme/openapi-parser), locked to the document itself: its file and HTTP
 * resolvers are switched off and a resolver that refuses everything takes their place, so a
 * reference to a URL or another file is never fetched or read (the portal receives this one
 * document, so only `#/…` references mean anything there). Such a document is described as
 * unreadable, naming the references, and the plan falls back to the digest.
 */
import type { ApiDescription, ApiOperation } from '../model/api-operations.ts';
import { showValue } from '../model/display.ts';
import { createContentDigester, DigestBudgetExceeded, type ContentDigester } from './content-digest.ts';
import { parseOpenapiText } from './referenced-files.ts';

/** Operation keys of a Path Item Object (OpenAPI 3.x §4.8.9, Swagger 2.0 Path Item Object). */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** A dereference that takes longer than this is given up: the plan then shows the digest. */
const DEREFERENCE_TIMEOUT_MS = 20_000;

type Json = Record<string, unknown>;

/** The operations of the document `text`, or why they cannot be read; bad input never throws. */
export async function describeApi(text: string): Promise<ApiDescription> {
  if (text.trim() === '') return unreadable('the document is empty');
  const parsed = parseOpenapiText(text, 'the OpenAPI document');
  if ('reason' in parsed) return unreadable(`it is not valid YAML or JSON: ${parsed.reason}`);
  const document = parsed.value;
  if (!isRecord(document) || !('openapi' in document || 'swagger' in document)) return unreadable('it has no "openapi" or "swagger" version key');
  let resolved: Json;
  try {
    resolved = await dereferenceLocally(document);
  } catch (error) {
    return unreadable(describeFailure(error, document));
  }
  try {
    return { status: 'read', operations: extractOperations(resolved) };
  } catch (error) {
    if (error instanceof DigestBudgetExceeded) return unreadable('it is too large or too deeply nested to compare operation by operation');
    throw error;
  }
}

async function dereferenceLocally(document: Json): Promise<Json> {
  const { dereference } = await import('@apidevtools/json-schema-ref-parser');
  const refuseOutside = {
    order: 1,
    canRead: true,
    read: (): never => {
      throw new Error('references outside the document are not followed');
    },
  };
  return (await dereference(document, {
    resolve: { external: true, file: false, http: false, refuseOutside },
    dereference: { circular: true },
    continueOnError: true,
    mutateInputSchema: false,
    timeoutMs: DEREFERENCE_TIMEOUT_MS,
  })) as Json;
}

/**
 * Each failed `$ref` as written, with where it is (`paths./pets.get…`): the library reports the
 * location, and the reference is read from the document it left untouched.
 */
function describeFailure(error: unknown, document: Json): string {
  const failures = (error as { errors?: unknown[] }).errors ?? [error];
  const outside: string[] = [];
  const missing: string[] = [];
  for (const failure of failures) {
    const at = (failure as { path?: unknown }).path;
    const location = Array.isArray(at) ? at.map(String) : undefined;
    const written = location ? refAt(document, location) : undefined;
    const shown = `${typeof written === 'string' ? showValue(written) : '(unknown)'}${location ? ` at ${location.join('.')}` : ''}`;
    const code = (failure as { code?: unknown }).code;
    if (code === 'ERESOLVER' || code === 'EUNMATCHEDRESOLVER') outside.push(shown);
    else if (code === 'EMISSINGPOINTER' || code === 'EINVALIDPOINTER') missing.push(shown);
    else return `its references cannot be resolved: ${(failure as Error).message ?? String(failure)}`;
  }
  const list = (items: string[]): string => items.slice(0, 3).join(', ') + (items.length > 3 ? ` and ${items.length - 3} more` : '');
  if (outside.length) {
    return `it refers outside itself (${list(outside)}); remote and file references are never fetched, only references inside the document (#/…) are followed`;
  }
  return `a reference points at nothing in the document (${list(missing)})`;
}

function refAt(document: unknown, location: readonly string[]): unknown {
  let node = document;
  for (const segment of location) node = isRecord(node) || Array.isArray(node) ? (node as Json)[segment] : undefined;
  return isRecord(node) ? node['$ref'] : undefined;
}

/** Every operation under `paths`, in document order. */
function extractOperations(document: Json): ApiOperation[] {
  const digester = createContentDigester();
  const schemes = isRecord(document['components']) ? document['components']['securitySchemes'] : document['securityDefinitions'];
  const operations: ApiOperation[] = [];
  const paths = isRecord(document['paths']) ? document['paths'] : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        parts: {
          parameters: parameterParts(path, item['parameters'], operation['parameters'], digester),
          requestBody: requestBodyParts(operation['requestBody'], digester),
          responses: mapParts(operation['responses'], digester),
          // An operation's own `security` replaces the document's, and `[]` means none (Operation Object).
          security: securityParts(operation['security'] ?? document['security'], schemes, digester),
        },
      });
    }
  }
  return operations;
}

/**
 * Path-level parameters, overridden by the operation's with the same name and location
 * (Path Item Object `parameters`). Path parameters are named by position, as a client fills them;
 * header names are case-insensitive (RFC 9110 §5.1). The value says whether it is required,
 * so that the plan can say "now required".
 */
function parameterParts(path: string, shared: unknown, own: unknown, digester: ContentDigester): Record<string, string> {
  const slots = [...path.matchAll(/\{([^}/]*)\}/g)].map((match) => match[1]);
  const byName = new Map<string, Json>();
  for (const parameter of [...asArray(shared), ...asArray(own)]) {
    if (!isRecord(parameter) || typeof parameter['name'] !== 'string' || typeof parameter['in'] !== 'string') continue;
    byName.set(`${parameter['in']}\u0000${parameter['name']}`, parameter);
  }
  const parts: [string, string][] = [];
  for (const parameter of byName.values()) {
    const { name, in: where, required, ...rest } = parameter as Json & { name: string; in: string };
    const slot = slots.indexOf(name);
    const key = where === 'path' && slot >= 0 ? `path {${slot + 1}}` : `${where} ${where === 'header' ? name.toLowerCase() : name}`;
    const isRequired = where === 'path' || required === true;
    parts.push([key, `${isRequired ? 'required' : 'optional'} ${digester.digest(rest)}`]);
  }
  return sorted(parts);
}

function requestBodyParts(body: unknown, digester: ContentDigester): Record<string, string> {
  if (!isRecord(body)) return {};
  const parts = Object.entries(mapParts(body['content'], digester));
  if (body['required'] === true) parts.push(['required', 'yes']);
  return sorted(parts);
}

/** A map of names (media types, status codes) to the digest of what each holds. */
function mapParts(map: unknown, digester: ContentDigester): Record<string, string> {
  if (!isRecord(map)) return {};
  return sorted(Object.entries(map).filter(([name]) => !name.startsWith('x-')).map(([name, value]) => [name, digester.digest(value)]));
}

/** Each alternative requirement by its schemes and scopes; the value digests the schemes' definitions. */
function securityParts(requirements: unknown, schemes: unknown, digester: ContentDigester): Record<string, string> {
  const parts: [string, string][] = [];
  for (const requirement of asArray(requirements)) {
    if (!isRecord(requirement)) continue;
    const names = Object.keys(requirement).sort();
    const key = names.length === 0 ? 'anonymous' : names.map((name) => {
      const scopes = asArray(requirement[name]).map(String).sort();
      return scopes.length ? `${name}[${scopes.join(' ')}]` : name;
    }).join(' + ');
    parts.push([key, digester.digest(names.map((name) => (isRecord(schemes) && Object.hasOwn(schemes, name) ? schemes[name] : null)))]);
  }
  return sorted(parts);
}

/** By name; built from entries (own properties), so an element named `__proto__` is kept like any other. */
function sorted(parts: [string, string][]): Record<string, string> {
  return Object.fromEntries(parts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unreadable(problem: string): ApiDescription {
  return { status: 'unreadable', problem };
}

