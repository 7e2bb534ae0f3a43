/**
 * The one HTTP client every provider uses: JSON in and out over the built-in `fetch`, a timeout
 * per request, and every failure turned into a one-line ProviderError that is safe to print
 * (no headers, no credentials, no multi-line bodies).
 */
import { ProviderError } from './provider.ts';

export type QueryValue = string | number | boolean | undefined;

export interface HttpClientOptions {
  /** Root of the management API, e.g. `https://api7.example.com:7443`. */
  baseUrl: string;
  /** Called per request so that a missing credential fails the first request, not construction. */
  headers: () => Record<string, string>;
  timeoutMs?: number;
  /** The server's own words for a non-2xx body (e.g. its `error_msg`), one line. */
  describeError: (status: number, body: string) => string;
}

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
}

export interface HttpClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

/** Longest server message kept in an error: enough to read, short enough for a PR comment line. */
const MAX_MESSAGE_CHARS = 300;

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { baseUrl, headers, timeoutMs = 30_000, describeError } = options;
  const root = new URL(baseUrl);
  return {
    async request<T>(method: string, path: string, { query, body }: RequestOptions = {}): Promise<T> {
      const url = buildUrl(root, path, query);
      const what = `${method} ${path}`;
      const sent = headers();
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...sent },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw networkError(error, root, what, timeoutMs);
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw networkError(error, root, what, timeoutMs);
      }
      if (!response.ok) {
        const described = oneLine(describeError(response.status, text), Object.values(sent));
        const retryable = response.status === 429 || response.status >= 500;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        throw new ProviderError(`HTTP ${response.status} from ${what}: ${described}`, response.status, retryable, retryAfter);
      }
      if (text.trim() === '') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ProviderError(`invalid JSON in the HTTP ${response.status} response to ${what}`, response.status, false);
      }
    },
  };
}

function buildUrl(root: URL, path: string, query: Record<string, QueryValue> | undefined): URL {
  // Keep a path prefix in baseUrl (e.g. a reverse proxy mount) instead of letting `new URL` drop it.
  const url = new URL(root.pathname.replace(/\/$/, '') + path, root);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}

/** Refused, reset, DNS failure or timeout: name the host and the cause, never the headers. */
function networkError(error: unknown, root: URL, what: string, timeoutMs: number): ProviderError {
  const host = root.host;
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ProviderError(`${what}: ${host} did not answer within ${timeoutMs / 1000}s`, undefined, true);
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new ProviderError(`${what}: cannot reach ${host} (${oneLine(reason, [])})`, undefined, true);
}

/** Collapses whitespace, cuts long bodies, and masks any header value the server echoed back. */
export function oneLine(text: string, secrets: readonly string[]): string {
  let line = text.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) {
    if (secret.length >= 6) line = line.split(secret).join('***');
  }
  return line.length > MAX_MESSAGE_CHARS ? `${line.slice(0, MAX_MESSAGE_CHARS)}…` : line || '(empty body)';
}

/** `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export interface Page<T> {
  list: T[];
  total: number;
}

export interface PagingOptions {
  pageSize: number;
  /** Pages in flight after the first one. */
  concurrency?: number;
}

/**
 * Every item of a `{list,total}` endpoint in O(pages) requests: page 1 tells the total and the
 * page size the server really uses (it may cap `page_size` silently), then the remaining pages
 * are fetched concurrently, bounded. A short or empty page means the end, whatever `total` said.
 */
export async function fetchAllPages<T>(
  fetchPage: (page: number, pageSize: number) => Promise<Page<T>>,
  { pageSize, concurrency = 4 }: PagingOptions,
): Promise<T[]> {
  const first = await fetchPage(1, pageSize);
  const served = first.list.length;
  if (served === 0 || served >= first.total) return first.list;
  const lastPage = Math.ceil(first.total / served);
  const pages: T[][] = [first.list];
  let endPage = lastPage;
  let nextPage = 2;
  const worker = async (): Promise<void> => {
    while (nextPage <= endPage) {
      const page = nextPage++;
      const { list } = await fetchPage(page, pageSize);
      pages[page - 1] = list;
      if (list.length < served) endPage = Math.min(endPage, page);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lastPage - 1) }, worker));
  return pages.slice(0, endPage).flatMap((list) => list ?? []);
}
