import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultInjector, readBody } from '../faults.ts';
import { listenEmulator, requestLog, type EmulatorRunOptions, type RecordedRequest, type RunningEmulator } from '../listen.ts';
import { countChange } from '../revision.ts';
import { authenticate, checkCredentials, type ApigeeCredentials } from './auth.ts';
import { ApigeeHttpError, CODES, errorBody, SerializedJson, type ApigeeReply } from './http.ts';
import { allowedMethods, dispatch } from './routes.ts';
import { answerAsPrivateCloud } from './opdk.ts';
import { seedApigeeState, type ApigeeFlavour, type ApigeeState } from './state.ts';

export type { ApigeeCredentials } from './auth.ts';

/** How to run an Apigee management API emulator. */
export interface ApigeeEmulatorOptions extends EmulatorRunOptions {
  /** Edge (`api.enterprise.apigee.com`) or X (`apigee.googleapis.com`): shapes, auth and errors differ. */
  flavour: ApigeeFlavour;
  /** The only organization served; any other is a 403. */
  org: string;
  credentials: ApigeeCredentials;
  /** Served and mutated in place; a fresh seed for `org` when absent. */
  state?: ApigeeState;
  /** Unix MILLISECONDS for createdAt / lastModifiedAt; tests pin it to make timestamps predictable. */
  now?: () => number;
  /** Called after every successful change, before the response is sent. */
  onMutation?: (state: ApigeeState) => void;
  /**
   * Awaited before each request is answered. Tests hold a write here while another client runs,
   * to interleave the two deterministically (no timing).
   */
  beforeAnswer?: (request: { method: string; path: string; query: URLSearchParams; body: string }) => void | Promise<void>;
  /**
   * Store (and answer) a product created by POST without its attributes: no reference says Apigee
   * does this, so it is off by default; tests turn it on to show what apply does if a server did.
   */
  dropAttributes?: boolean;
  /**
   * Serve `GET …/apiproducts` as if `attributename`/`attributevalue` were not there: the filter is
   * documented (reference §3) but no source says every server version honours it, so tests show a
   * client that filters again is right either way.
   */
  ignoreAttributeFilter?: boolean;
  /** Edge only: answer as Edge for Private Cloud without CPS does (opdk.ts): product lists unpaged. */
  privateCloud?: boolean;
}

/** A running emulator of the Apigee management API (shared/reference/apigee-management-api.md). */
export type ApigeeEmulator = RunningEmulator<ApigeeState>;

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function sendJson(response: ServerResponse, answer: Answer): void {
  const payload = answer.body instanceof SerializedJson ? answer.body.bytes : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...answer.headers,
  });
  response.end(payload);
}

/** Starts the emulator on 127.0.0.1 and a free port unless told otherwise. */
export async function startApigeeEmulator(options: ApigeeEmulatorOptions): Promise<ApigeeEmulator> {
  const { flavour, org, credentials } = options;
  checkCredentials(flavour, credentials);
  if (options.privateCloud && flavour !== 'edge') throw new Error('privateCloud is an Apigee Edge mode (Edge for Private Cloud); flavour x has none');
  const state = options.state ?? seedApigeeState(org);
  const now = options.now ?? Date.now;
  const { requests, add: log } = requestLog(options);
  const faults = new FaultInjector({ ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}), ...options.faults }, options.faultClock);

  /** Status and body for one request; a thrown ApigeeHttpError becomes its status and the flavour's error body. */
  function answer(request: IncomingMessage, url: URL, body: string): Answer {
    const method = request.method ?? 'GET';
    let reply: ApigeeReply;
    try {
      const actor = authenticate(flavour, request.headers.authorization, credentials);
      const call = {
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
        dropAttributes: options.dropAttributes ?? false,
        ignoreAttributeFilter: options.ignoreAttributeFilter ?? false,
      };
      reply = (options.privateCloud ? answerAsPrivateCloud(method, url.pathname, call) : undefined) ?? dispatch(call);
    } catch (error) {
      if (!(error instanceof ApigeeHttpError)) throw error;
      const headers: Record<string, string> =
        error.status === 405 ? { allow: allowedMethods(flavour, org, url.pathname).join(', ') } : {};
      return { status: error.status, body: errorBody(flavour, error), headers };
    }
    if (reply.mutated) {
      countChange(state);
      options.onMutation?.(state);
    }
    return { status: reply.status ?? 200, body: reply.body };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const record: RecordedRequest = { method: request.method ?? 'GET', path: url.pathname, status: 500, ...(url.search ? { query: url.search } : {}) };
    try {
      const body = await readBody(request);
      await options.beforeAnswer?.({ method: record.method, path: url.pathname, query: url.searchParams, body });
      await faults.serve(response, {
        method: record.method,
        path: url.pathname,
        body,
        answer: () => answer(request, url, body),
        send: (result) => sendJson(response, result),
        record: (status) => {
          record.status = status;
          log(record);
        },
        errorBody: (status, message) =>
          errorBody(flavour, new ApigeeHttpError(status, status === 429 ? CODES.rateLimited : CODES.unavailable, message)),
      });
    } catch (error) {
      log(record);
      const failure = new ApigeeHttpError(500, CODES.internal, `internal error: ${(error as Error).message}`);
      if (!response.headersSent) sendJson(response, { status: 500, body: errorBody(flavour, failure) });
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
