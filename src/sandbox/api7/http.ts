import type { Api7List } from './wire.ts';
import type { Api7State } from './state.ts';
import { sortedList, type Ordered } from './list-order.ts';
import { revisionOf } from '../revision.ts';

/** A refusal with the Admin API's error body `{error_msg}`; thrown by handlers, sent by the server. */
export class Api7HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'Api7HttpError';
  }
}

export const badRequest = (message: string): Api7HttpError => new Api7HttpError(400, message);
export const notFound = (message: string): Api7HttpError => new Api7HttpError(404, message);

const DEFAULT_PAGE_SIZE = 10;
/** Our own choice: no maximum `page_size` is documented (reference §2, line 335). */
export const MAX_PAGE_SIZE = 500;

function positiveInteger(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer between 1 and ${max}`;
    throw badRequest(`${name} must be ${range}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback: T): T {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw badRequest(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

/**
 * One page of a list, `{list, total}` with `total` the full count. Ordered like the real server
 * (reference §1 lines 37-41, §2 line 334): `order_by` `created_at`|`updated_at`, `direction`
 * `asc`|`desc`, by default `updated_at desc`, so that an edit made while a client pages through
 * the list moves the item to page 1, exactly the risk a client must guard against. Ties go by id.
 */
export function paginate<T extends Ordered>(items: readonly T[], call: Pick<Api7Call, 'query' | 'maxPageSize' | 'state'>): Api7List<T> {
  const { query } = call;
  const page = positiveInteger(query, 'page', 1, Number.MAX_SAFE_INTEGER);
  const pageSize = positiveInteger(query, 'page_size', DEFAULT_PAGE_SIZE, call.maxPageSize);
  const orderBy = oneOf(query, 'order_by', ['created_at', 'updated_at'] as const, 'updated_at');
  const sign = oneOf(query, 'direction', ['asc', 'desc'] as const, 'desc') === 'asc' ? 1 : -1;
  const ordered = sortedList(items, orderBy, sign, { continued: page > 1, revision: revisionOf(call.state) });
  const start = (page - 1) * pageSize;
  return { list: ordered.slice(start, start + pageSize), total: ordered.length };
}

/** The request body as a JSON object, or a 400 saying why it is not one. */
export function parseJsonObject(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw badRequest(`invalid JSON body: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** A required query parameter, or a 400 naming it. */
export function requiredQuery(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (!value) throw badRequest(`${name} is required`);
  return value;
}

/** What a route handler is given: the state to read or change and the parsed request. */
export interface Api7Call {
  state: Api7State;
  query: URLSearchParams;
  /** Path parameters in the order the route names them (already URI-decoded). */
  params: string[];
  /** The raw request body, parsed only by handlers that take one. */
  body: string;
  /** Unix seconds, for `created_at` / `updated_at`. */
  now: number;
  /** Api7EmulatorOptions.dropExternalLabels. */
  dropExternalLabels?: boolean;
  /** The largest `page_size` a list accepts; larger is a 400 (`Api7EmulatorOptions.maxPageSize`). */
  maxPageSize: number;
}

/** A 200 answer; `mutated` makes the server report the new state (`onMutation`). */
export interface Api7Reply {
  body: unknown;
  mutated?: boolean;
}
