import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FaultInjector } from './faults.ts';
import type { FaultClock, FaultCounters, FaultOptions } from './fault-options.ts';

export interface ListenOptions {
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 0: any free port. */
  port?: number;
  /** Serve https with this key and certificate (PEM) instead of http, e.g. to test private CAs. */
  tls?: { key: string; cert: string };
}

/** What every emulator accepts besides its vendor's own settings. */
export interface EmulatorRunOptions extends ListenOptions {
  /** Added before every response, to make round trips cost something (same as `faults.latencyMs`). */
  latencyMs?: number;
  /** Latency, rate limit, 5xx, dropped connections, slow answers (src/sandbox/faults.ts); none by default. */
  faults?: FaultOptions;
  /** The time faults run on (src/sandbox/faults.ts `FaultClock`); real time by default. */
  faultClock?: FaultClock;
  /**
   * Keep every request in `requests` (default true, for tests that count round trips). A sandbox
   * (`sandbox serve`, or a run's own emulator) turns it off: nobody reads its log, and a serve
   * left running grew it without bound (`counters` still count every request).
   */
  recordRequests?: boolean;
}

/** One request as the emulator answered it. */
export interface RecordedRequest {
  method: string;
  /** Pathname only, without the query string. */
  path: string;
  status: number;
  /** The query string (`?expand=true&…`), where the emulator records it (Apigee), for tests that count filtered reads. */
  query?: string;
}

/** A running emulator, whatever vendor it plays. */
export interface RunningEmulator<State> {
  /** `http://127.0.0.1:<port>`: the host root, no trailing slash. */
  url: string;
  /** The live state: what the next request will see. */
  state: State;
  /** Every request in arrival order, for tests that count round trips (status 0: dropped). */
  requests: RecordedRequest[];
  /** Requests, 429s, injected failures, drops, slow answers, most in flight. */
  counters: FaultCounters;
  /** The fault layer: `faults.configure(options)` changes the faults of a running emulator. */
  faults: FaultInjector;
  /** Stops listening and drops open connections; closing twice is harmless. */
  close(): Promise<void>;
}

/** The log behind `RunningEmulator.requests`, appended to only when `recordRequests` is not false. */
export function requestLog(options: Pick<EmulatorRunOptions, 'recordRequests'>): { requests: RecordedRequest[]; add(request: RecordedRequest): void } {
  const requests: RecordedRequest[] = [];
  const keep = options.recordRequests !== false;
  return { requests, add: (request) => void (keep && requests.push(request)) };
}

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Starts an emulator's server (127.0.0.1, random port by default) and gives its URL and a close() that never hangs. */
export async function listenEmulator(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  options: ListenOptions,
  faults: FaultInjector,
): Promise<Listening> {
  const listener = (request: IncomingMessage, response: ServerResponse): void => void handle(request, response);
  const server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
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
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        faults.close();
        if (!server.listening) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients such as fetch keep idle connections open, which would hold close() forever.
        server.closeAllConnections();
      }),
  };
}
