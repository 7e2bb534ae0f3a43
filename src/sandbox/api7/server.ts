import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { Api7HttpError, type Api7Reply } from './http.ts';
import { allowedMethods, dispatch } from './routes.ts';
import { seedApi7State, type Api7State } from './state.ts';

/** How to run an API7 emulator. */
export interface Api7EmulatorOptions {
  /** The only `X-API-KEY` accepted. */
  token: string;
  /** Served and mutated in place; a fresh seed when absent. */
  state?: Api7State;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 0: any free port. */
  port?: number;
  /** Added before every response, to make round trips cost something. */
  latencyMs?: number;
  /** Unix seconds for `created_at` / `updated_at`; tests pin it to make timestamps predictable. */
  now?: () => number;
  /** Called after every successful POST, PUT or DELETE, before the response is sent. */
  onMutation?: (state: Api7State) => void;
}

/** One request as the emulator answered it. */
export interface RecordedRequest {
  method: string;
  /** Pathname only, without the query string. */
  path: string;
  status: number;
}

/** A running emulator of the API7 Enterprise Admin API (src/providers/api7/wire.ts). */
export interface Api7Emulator {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** The live state: what the next request will see. */
  state: Api7State;
  /** Every request in arrival order, for tests that count round trips. */
  requests: RecordedRequest[];
  /** Stops listening and drops open connections; closing twice is harmless. */
  close(): Promise<void>;
}

const UNAUTHORIZED = 'unauthorized: invalid or missing X-API-KEY';

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

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
  const requests: RecordedRequest[] = [];

  /** Status and body for one request; a thrown Api7HttpError becomes its status and `{error_msg}`. */
  function answer(request: IncomingMessage, pathname: string, query: URLSearchParams, body: string): {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
  } {
    const method = request.method ?? 'GET';
    if (request.headers['x-api-key'] !== options.token) return { status: 401, body: { error_msg: UNAUTHORIZED } };
    let reply: Api7Reply;
    try {
      reply = dispatch(method, pathname, { state, query, body, now: now() });
    } catch (error) {
      if (!(error instanceof Api7HttpError)) throw error;
      const headers: Record<string, string> = error.status === 405 ? { allow: allowedMethods(pathname).join(', ') } : {};
      return { status: error.status, body: { error_msg: error.message }, headers };
    }
    if (reply.mutated) options.onMutation?.(state);
    return { status: 200, body: reply.body };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const record: RecordedRequest = { method: request.method ?? 'GET', path: url.pathname, status: 500 };
    try {
      const body = await readBody(request);
      if (options.latencyMs) await delay(options.latencyMs);
      const result = answer(request, url.pathname, url.searchParams, body);
      record.status = result.status;
      requests.push(record);
      sendJson(response, result.status, result.body, result.headers);
    } catch (error) {
      requests.push(record);
      if (!response.headersSent) sendJson(response, 500, { error_msg: `internal error: ${(error as Error).message}` });
    }
  }

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    state,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients such as fetch keep idle connections open, which would hold close() forever.
        server.closeAllConnections();
      }),
  };
}
