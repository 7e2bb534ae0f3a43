import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultInjector, readBody } from '../faults.ts';
import type { EmulatorAnswer } from '../fault-options.ts';
import { listenEmulator, requestLog, type EmulatorRunOptions, type RecordedRequest, type RunningEmulator } from '../listen.ts';
import { countChange } from '../revision.ts';
import { Api7HttpError, MAX_PAGE_SIZE, type Api7Reply } from './http.ts';
import { allowedMethods, dispatch } from './routes.ts';
import { seedApi7State, type Api7State } from './state.ts';

/** How to run an API7 emulator. */
export interface Api7EmulatorOptions extends EmulatorRunOptions {
  /** The only `X-API-KEY` accepted. */
  token: string;
  /** Served and mutated in place; a fresh seed when absent. */
  state?: Api7State;
  /** Unix seconds for `created_at` / `updated_at`; tests pin it to make timestamps predictable. */
  now?: () => number;
  /** Called after every successful POST, PUT or DELETE, before the response is sent. */
  onMutation?: (state: Api7State) => void;
  /**
   * Store (and answer) an EXTERNAL product created by POST without its `labels`. Whether API7 3.9
   * keeps labels on external products is unconfirmed (reference §3: the 0.11.0 write schema has
   * none), so this is off by default; tests turn it on to show what apply does if it does not.
   */
  dropExternalLabels?: boolean;
  /**
   * The largest `page_size` a list accepts (default 500); larger is a 400. No maximum is
   * documented (reference §2), so tests lower it to play a stricter server.
   */
  maxPageSize?: number;
  /**
   * Awaited before each request is answered. Tests hold a list page here while another client
   * writes, to interleave the two deterministically (no timing).
   */
  beforeAnswer?: (request: { method: string; path: string; query: URLSearchParams; body: string }) => void | Promise<void>;
}

/** A running emulator of the API7 Enterprise Admin API (its objects: ./wire.ts). */
export type Api7Emulator = RunningEmulator<Api7State>;

const UNAUTHORIZED = 'unauthorized: invalid or missing X-API-KEY';

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Starts the emulator on 127.0.0.1 and a free port unless told otherwise. */
export async function startApi7Emulator(options: Api7EmulatorOptions): Promise<Api7Emulator> {
  const state = options.state ?? seedApi7State();
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const { requests, add: log } = requestLog(options);
  const faults = new FaultInjector({ ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}), ...options.faults }, options.faultClock);

  /** Status and body for one request; a thrown Api7HttpError becomes its status and `{error_msg}`. */
  function answer(request: IncomingMessage, pathname: string, query: URLSearchParams, body: string): EmulatorAnswer {
    const method = request.method ?? 'GET';
    if (request.headers['x-api-key'] !== options.token) return { status: 401, body: { error_msg: UNAUTHORIZED } };
    let reply: Api7Reply;
    try {
      reply = dispatch(method, pathname, {
        state, query, body, now: now(),
        dropExternalLabels: options.dropExternalLabels ?? false,
        maxPageSize: options.maxPageSize ?? MAX_PAGE_SIZE,
      });
    } catch (error) {
      if (!(error instanceof Api7HttpError)) throw error;
      const headers: Record<string, string> = error.status === 405 ? { allow: allowedMethods(pathname).join(', ') } : {};
      return { status: error.status, body: { error_msg: error.message }, headers };
    }
    if (reply.mutated) {
      countChange(state);
      options.onMutation?.(state);
    }
    return { status: 200, body: reply.body };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const record: RecordedRequest = { method: request.method ?? 'GET', path: url.pathname, status: 500 };
    try {
      const body = await readBody(request);
      await options.beforeAnswer?.({ method: record.method, path: url.pathname, query: url.searchParams, body });
      await faults.serve(response, {
        method: record.method,
        path: url.pathname,
        body,
        answer: () => answer(request, url.pathname, url.searchParams, body),
        send: (result) => sendJson(response, result.status, result.body, result.headers),
        record: (status) => {
          record.status = status;
          log(record);
        },
        errorBody: (_status, message) => ({ error_msg: message }),
      });
    } catch (error) {
      log(record);
      if (!response.headersSent) sendJson(response, 500, { error_msg: `internal error: ${(error as Error).message}` });
    }
  }

  const listening = await listenEmulator(handle, options, faults);

  return {
    url: listening.url,
    state,
    requests,
    counters: faults.counters,
    faults,
    close: listening.close,
  };
}
