/**
 * The operations of an API description (an external product's OpenAPI document), in the form the
 * plan compares: what a client of the API depends on, each part reduced to a digest of its
 * dereferenced content, so that a change to a shared component (`$ref`) shows on every
 * operation that uses it, and a reworded description on none.
 */

/** The attachment that holds an OpenAPI document; its digest is the state field of the same name. */
export const OPENAPI_ATTACHMENT = 'openapi';

/** The four parts of an operation a plan compares. */
export type OperationAspect = 'parameters' | 'requestBody' | 'responses' | 'security';
export const OPERATION_ASPECTS: readonly OperationAspect[] = ['parameters', 'requestBody', 'responses', 'security'];

/**
 * One operation. Identity is `method` + the path template with its parameter names blanked
 * (`GET /pets/{}`): OpenAPI calls paths that differ only in those names identical (Paths Object,
 * "Path Templating Matching"), and a client sends the same request to both.
 */
export interface ApiOperation {
  /** Upper case: GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH, TRACE. */
  method: string;
  /** The path template as the document writes it. */
  path: string;
  /**
   * Per aspect, each element by name → digest of what a client depends on:
   * parameters `query limit`, `header x-request-id`, `path {1}` (path parameters by position);
   * requestBody its media types, and `required` when the body is required;
   * responses their status codes (`200`, `4XX`, `default`);
   * security each alternative requirement (`api_key`, `oauth[read:pets write:pets]`).
   */
  parts: Record<OperationAspect, Record<string, string>>;
}

/** An API description as read for a plan, or why its operations could not be read. */
export type ApiDescription = { status: 'read'; operations: ApiOperation[] } | { status: 'unreadable'; problem: string };

/** An operation named in a plan. */
export interface OperationRef {
  method: string;
  path: string;
}

/** What changed in one aspect of an operation, by element name. */
export interface AspectChange {
  aspect: OperationAspect;
  added: string[];
  removed: string[];
  changed: string[];
}

export interface OperationChange extends OperationRef {
  /** The path as the live document writes it, when only its parameter names differ. */
  livePath?: string;
  changes: AspectChange[];
}

/**
 * The operations an update adds, removes and changes, live → Git, or why they were not compared
 * (the document's digest change is then all the plan shows).
 */
export type OperationsDiff =
  | { status: 'compared'; added: OperationRef[]; removed: OperationRef[]; changed: OperationChange[] }
  | { status: 'not-compared'; reason: string };

/** `GET /pets/{}`: the identity of an operation, parameter names blanked. */
export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}/]*\}/g, '{}')}`;
}
