/**
 * A small hostile server for the broken-answer tests: a node:http proxy in front of a real emulator
 * that passes every request through, except those a `breaker` answers itself, badly (non-JSON,
 * truncated JSON, wrong envelopes, HTML error pages, lists that never end, enormous bodies). The
 * emulators stay faithful; the hostility lives here.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostileRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** Answers the request itself and returns true, or returns false to let the upstream answer. */
export type Breaker = (request: HostileRequest, response: ServerResponse) => boolean;

export interface HostileServer {
  url: string;
  /** Every request, in arrival order, with whether the breaker answered it. */
  requests: (HostileRequest & { broken: boolean; body: string })[];
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export async function startHostileServer(upstream: string, breaker: Breaker): Promise<HostileServer> {
  const requests: HostileServer['requests'] = [];
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://hostile');
    const seen: HostileRequest = { method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: request.headers };
    const body = await readBody(request);
    let broken = false;
    try {
      broken = breaker(seen, response);
    } catch {
      response.destroy();
      broken = true;
    }
    requests.push({ ...seen, broken, body: body.toString('utf8') });
    if (broken) return;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
    }
    try {
      const answer = await fetch(upstream + (request.url ?? '/'), {
        method: seen.method,
        headers,
        ...(body.length ? { body } : {}),
      });
      const text = Buffer.from(await answer.arrayBuffer());
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json', 'content-length': text.length });
      response.end(text);
    } catch {
      response.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Writes `status` with a body and a content type, nothing else. */
export function answerWith(response: ServerResponse, status: number, body: string, type = 'application/json'): true {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
  return true;
}

/** Streams megabyte after megabyte of a JSON-looking array until the client gives up. */
export function endlessBody(response: ServerResponse, declaredLength?: number): true {
  response.writeHead(200, { 'content-type': 'application/json', ...(declaredLength ? { 'content-length': declaredLength } : {}) });
  if (declaredLength) {
    // Says it is huge, sends a little and waits: the client must refuse from the header alone.
    response.write('[');
    return true;
  }
  const chunk = Buffer.from('[' + `${JSON.stringify({ id: 'x', name: 'x'.repeat(64) })},`.repeat(Math.floor((1024 * 1024) / 80)));
  let sent = 0;
  const pump = (): void => {
    while (!response.destroyed && sent < 512) {
      sent++;
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    if (!response.destroyed) response.end(']');
  };
  pump();
  return true;
}
