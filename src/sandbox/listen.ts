import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FaultInjector } from './faults.ts';

export interface ListenOptions {
  host?: string;
  port?: number;
  /** Serve https with this key and certificate (PEM), e.g. to test private CAs. */
  tls?: { key: string; cert: string };
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
