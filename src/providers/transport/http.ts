/**
 * The one HTTP client every provider uses: JSON in and out over node:http/node:https, a timeout
 * per request, a cap on the body read, retries of idempotent reads, the target's adaptive
 * concurrency gate, and every failure turned into a one-line ProviderError that is safe to print
 * (no headers, no credentials, no multi-line bodies).
 *
 * Not `fetch`: Node's fetch cannot be given a private CA without importing undici, and node:https
 * takes `ca` directly (DESIGN §4: TLS verification on, `caFile` for private CAs).
 */
import type { RetryPolicy } from './retry.ts';
import type { Traffic } from './traffic.ts';
import { SecretMasker } from '../../model/masker.ts';
import { ProviderError } from './provider-error.ts';
import { openRoute, ProxyFailure, proxyRefusal, type Env, type Route } from './proxy.ts';
import { Abandoned, exchange, headerValue, type RawResponse } from './exchange.ts';
import { sendWithRetry, type WriteSafety } from './uncertain-writes.ts';
import { acceptedAuthorizations, resendAfterRefresh, type RenewAuthorization } from './resend-after-refresh.ts';

export type QueryValue = string | number | boolean | undefined;

/** Default cap on one response body: far above any real list page, far below what hurts. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface HttpClientOptions {
  /** Root of the management API, e.g. `https://api7.example.com:7443`. */
  baseUrl: string;
  /**
   * Called per request so that a missing credential fails the first request, not construction;
   * async when a token is minted (refreshing-token.ts).
   */
  headers: () => Record<string, string> | Promise<Record<string, string>>;
  /** A 401 renews the credentials this way and the request is resent once (resend-after-refresh.ts); none when absent. */
  renewAuthorization?: RenewAuthorization;
  timeoutMs?: number;
  /** The server's own words for a non-2xx body (e.g. its `error_msg`), one line. */
  describeError: (status: number, body: string) => string;
  /** PEM certificates trusted besides Node's bundled roots (a private CA, read by validate); https only. */
  ca?: string;
  /** Where the proxy variables are read (the command's environment); none when absent. */
  env?: Env;
  /** Longest body read; a longer answer is refused (default 64 MiB). */
  maxBodyBytes?: number;
  /** Retries of every request on 429, 5xx, timeouts and network errors (uncertain-writes.ts); none when absent. */
  retry?: RetryPolicy;
  /** Waits between tries (tests pass a clock's). */
  sleep?: (ms: number) => Promise<void>;
  /** The target's gate: adaptive concurrency and the counters of the apply report. */
  traffic?: Traffic;
  /** Where the timeout comes from, for its message (e.g. `timeout of target api7-prod`). */
  timeoutSource?: string;
}

export interface RequestOptions extends WriteSafety {
  query?: Record<string, QueryValue>;
  body?: unknown;
}

export interface HttpClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

/** Longest server message kept in an error: enough to read, short enough for a PR comment line. */
const MAX_MESSAGE_CHARS = 300;

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { baseUrl, headers, timeoutMs = DEFAULT_TIMEOUT_MS, describeError, maxBodyBytes = MAX_BODY_BYTES, retry, traffic } = options;
  const root = new URL(baseUrl);
  let route: Route | undefined;
  // Made on first use: an unusable proxy setting must be a request's error, not a crash at connect.
  const routeFor = (): Route =>
    (route ??= openRoute(root, { ...(options.ca === undefined ? {} : { ca: options.ca }), env: options.env ?? {}, timeoutMs }));

  const accepted = acceptedAuthorizations();
  const once = async <T>(method: string, path: string, { query, body }: RequestOptions, noteSent: (authorization: string) => void): Promise<T> => {
    const url = buildUrl(root, path, query);
    const what = `${method} ${path}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    // The credentials are read once the gate lets the request go: a request queued behind others
    // would otherwise carry a token that expired or was renewed while it waited.
    const ticket = await traffic?.acquire();
    let sent: Record<string, string>;
    try {
      sent = await headers();
    } catch (error) {
      if (ticket) traffic!.release(ticket);
      throw error;
    }
    noteSent(sent.authorization ?? '');
    let response: RawResponse;
    let secrets = Object.values(sent);
    let via = '';
    try {
      const chosen = routeFor();
      if (chosen.secret) secrets = [...secrets, chosen.secret];
      if (chosen.proxy) via = ` through proxy ${chosen.proxy}`;
      response = await exchange(url, chosen, {
        method,
        headers: {
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
          ...sent,
        },
        payload,
        timeoutMs,
        maxBodyBytes,
      });
    } catch (error) {
      if (ticket) traffic!.release(ticket);
      throw requestError(error, root, via, what, timeoutMs, maxBodyBytes, options.timeoutSource);
    }
    if (response.status !== 401 && sent.authorization) accepted.note(sent.authorization);
    const retryAfter = parseRetryAfter(headerValue(response.headers['retry-after']));
    if (ticket) {
      traffic!.release(ticket, response.status === 429 ? { rateLimited: true, retryAfterMs: (retryAfter ?? 0) * 1000 } : {});
    }
    // An http:// target through a proxy: a 407 is the proxy's answer, not the portal's.
    if (response.status === 407 && route?.proxy) throw new ProviderError(`${what}: ${proxyRefusal(407, route.proxy, route.variable, 'the request').message}`);
    if (response.status < 200 || response.status >= 300) {
      const described = oneLine(describeServerError(response, describeError), secrets);
      const retryable = response.status === 429 || response.status >= 500;
      throw new ProviderError(`HTTP ${response.status} from ${what}: ${described}`, response.status, retryable, retryAfter);
    }
    if (response.text.trim() === '') return undefined as T;
    try {
      return JSON.parse(response.text) as T;
    } catch (error) {
      const kind = looksLikeHtml(response) ? 'an HTML page' : `not JSON (${oneLine((error as Error).message, secrets)})`;
      throw new ProviderError(`the HTTP ${response.status} answer to ${what} is ${kind}; is url the root of the management API?`, response.status, false);
    }
  };

  return {
    request<T>(method: string, path: string, requestOptions: RequestOptions = {}): Promise<T> {
      const renew = options.renewAuthorization;
      const send = renew
        ? resendAfterRefresh((noteSent) => once<T>(method, path, requestOptions, noteSent), renew, accepted.has)
        : (): Promise<T> => once<T>(method, path, requestOptions, () => {});
      if (!retry) return send();
      return sendWithRetry(method, send, requestOptions, { policy: retry, sleep: options.sleep, onWait: (ms) => traffic?.noteRetry(ms) });
    },
  };
}

function looksLikeHtml(response: RawResponse): boolean {
  return /text\/html/i.test(headerValue(response.headers['content-type']) ?? '') || /^\s*<(!doctype|html|head|body)/i.test(response.text);
}

/** The server's words; for a proxy's HTML error page, its title rather than its markup. */
function describeServerError(response: RawResponse, describe: (status: number, body: string) => string): string {
  if (looksLikeHtml(response)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(response.text)?.[1]?.trim();
    return `${title || 'an HTML page'} (an HTML page, not the API's JSON: a proxy or load balancer answered)`;
  }
  return describe(response.status, response.text);
}

function buildUrl(root: URL, path: string, query: Record<string, QueryValue> | undefined): URL {
  // Keep a path prefix in baseUrl (e.g. a reverse proxy mount) instead of letting `new URL` drop it.
  const url = new URL(root.pathname.replace(/\/$/, '') + path, root);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}

/** TLS verification failures: not retryable, and the fix is a setting. */
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|DEPTH_ZERO/;

/**
 * Timeout, size cap, refused, reset, DNS failure, TLS or the proxy: name the host (and the proxy,
 * `via`) and the cause, never the headers. A proxy's refusal is retried only when it is a 5xx or a
 * network error, as the same failure of the target would be.
 */
function requestError(error: unknown, root: URL, via: string, what: string, timeoutMs: number, maxBodyBytes: number, timeoutSource?: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof ProxyFailure) return new ProviderError(`${what}: ${error.message}`, undefined, error.retryable);
  const host = root.host;
  if (error instanceof Abandoned && error.reason === 'timeout') {
    const source = timeoutSource ? ` (${timeoutSource})` : '';
    return new ProviderError(`${what}: ${host}${via} did not answer within ${formatSeconds(timeoutMs)}${source}`, undefined, true);
  }
  if (error instanceof Abandoned) {
    return new ProviderError(`${what}: the answer from ${host} is larger than ${formatBytes(maxBodyBytes)}; refused without reading it`, undefined, false);
  }
  const code = (error as { code?: string } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code && TLS_CODES.test(code)) {
    return new ProviderError(
      `${what}: the TLS certificate of ${host} is not trusted (${code}); for a private CA set caFile: on the target in apiproducts.yaml`,
      undefined,
      false,
    );
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new ProviderError(`${what}: the connection to ${host}${via} was dropped before the answer was complete (${code})`, undefined, true);
  }
  return new ProviderError(`${what}: cannot reach ${host}${via} (${oneLine(code ?? message, [])})`, undefined, true);
}

function formatSeconds(ms: number): string {
  return `${ms / 1000}s`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB` : `${bytes} bytes`;
}

/**
 * Collapses whitespace, cuts long bodies, and masks any header value the server echoed back, in
 * any form and by its start (model/masker.ts).
 */
export function oneLine(text: string, secrets: readonly string[]): string {
  let line = text.replace(/\s+/g, ' ').trim();
  // `Bearer <token>`, `Basic <base64>`: a server may echo the credential without its scheme.
  const credentials = secrets.flatMap((value) => [value, ...(/^\S+\s+(\S+)$/.exec(value)?.slice(1) ?? [])]);
  if (credentials.length > 0) line = new SecretMasker(credentials).mask(line);
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
