import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { authenticate, checkCredentials, type ApigeeCredentials } from './auth.ts';
import { ApigeeHttpError, CODES, errorBody, type ApigeeReply } from './http.ts';
import { allowedMethods, dispatch } from './routes.ts';
import { seedApigeeState, type ApigeeFlavour, type ApigeeState } from './state.ts';

export type { ApigeeCredentials } from './auth.ts';

/** How to run an Apigee management API emulator. */
export interface ApigeeEmulatorOptions {
  /** Edge (`api.enterprise.apigee.com`) or X (`apigee.googleapis.com`): shapes, auth and errors differ. */
  flavour: ApigeeFlavour;
  /** The only organization served; any other is a 403. */
  org: string;
  credentials: ApigeeCredentials;
  /** Served and mutated in place; a fresh seed for `org` when absent. */
  state?: ApigeeState;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 0: any free port. */
  port?: number;
  /** Added before every response, to make round trips cost something. */
  latencyMs?: number;
  /** Unix MILLISECONDS for createdAt / lastModifiedAt; tests pin it to make timestamps predictable. */
  now?: () => number;
  /** Called after every successful change, before the response is sent. */
  onMutation?: (state: ApigeeState) => void;
}

/** One request as the emulator answered it. */
export interface ApigeeRecordedRequest {
  method: string;
  /** Pathname only, without the query string. */
  path: string;
  status: number;
}

/** A running emulator of the Apigee management API (shared/reference/apigee-management-api.md). */
export interface ApigeeEmulator {
  /** `http://127.0.0.1:<port>`: the host root, no `/v1`, no trailing slash. */
  url: string;
  /** The live state: what the next request will see. */
  state: ApigeeState;
  /** Every request in arrival order, for tests that count round trips. */
  requests: ApigeeRecordedRequest[];
  /** Stops listening and drops open connections; closing twice is harmless. */
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, answer: Answer): void {
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
  });
  response.end(text);
}

/** Starts the emulator on 127.0.0.1 and a free port unless told otherwise. */
export async function startApigeeEmulator(options: ApigeeEmulatorOptions): Promise<ApigeeEmulator> {
  const { flavour, org, credentials } = options;
  checkCredentials(flavour, credentials);
  const state = options.state ?? seedApigeeState(org);
  const now = options.now ?? Date.now;
  const requests: ApigeeRecordedRequest[] = [];

  /** Status and body for one request; a thrown ApigeeHttpError becomes its status and the flavour's error body. */
  function answer(request: IncomingMessage, url: URL, body: string): Answer {
    const method = request.method ?? 'GET';
    let reply: ApigeeReply;
    try {
      const actor = authenticate(flavour, request.headers.authorization, credentials);
      reply = dispatch({
        method,
        pathname: url.pathname,
        contentType: request.headers['content-type'],
        flavour,
        org,
        state,
        query: url.searchParams,
        body,
        now: now(),
        actor,
      });
    } catch (error) {
      if (!(error instanceof ApigeeHttpError)) throw error;
      const headers: Record<string, string> =
        error.status === 405 ? { allow: allowedMethods(flavour, org, url.pathname).join(', ') } : {};
      return { status: error.status, body: errorBody(flavour, error), headers };
    }
    if (reply.mutated) options.onMutation?.(state);
    return { status: reply.status ?? 200, body: reply.body };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const record: ApigeeRecordedRequest = { method: request.method ?? 'GET', path: url.pathname, status: 500 };
    try {
      const body = await readBody(request);
      if (options.latencyMs) await delay(options.latencyMs);
      const result = answer(request, url, body);
      record.status = result.status;
      requests.push(record);
      sendJson(response, result);
    } catch (error) {
      requests.push(record);
      const failure = new ApigeeHttpError(500, CODES.internal, `internal error: ${(error as Error).message}`);
      if (!response.headersSent) sendJson(response, { status: 500, body: errorBody(flavour, failure) });
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
