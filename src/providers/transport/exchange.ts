/**
 * One request and its whole body over a route (proxy.ts), abandoned past the timeout or the body
 * cap; http.ts turns what fails here into its one-line errors.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Route } from './proxy.ts';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Why a request was abandoned by us, not by the network. */
export class Abandoned extends Error {
  constructor(readonly reason: 'timeout' | 'too-large') {
    super(reason);
  }
}

export interface Exchange {
  method: string;
  headers: Record<string, string>;
  payload: string | undefined;
  timeoutMs: number;
  maxBodyBytes: number;
}

/** One request and its whole body, abandoned past the timeout or the size cap. */
export function exchange(url: URL, route: Route, how: Exchange): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, value?: RawResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value!);
    };
    const request = route.request(url, { method: how.method, headers: how.headers });
    const timer = setTimeout(() => {
      request.destroy(new Abandoned('timeout'));
      finish(new Abandoned('timeout'));
    }, how.timeoutMs);
    request.on('error', (error) => finish(error));
    request.on('response', (response: IncomingMessage) => {
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > how.maxBodyBytes) {
        request.destroy();
        finish(new Abandoned('too-large'));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > how.maxBodyBytes) {
          request.destroy();
          finish(new Abandoned('too-large'));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error) => finish(error));
      response.on('end', () => {
        finish(undefined, { status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      // Closed before the end: the connection dropped mid-body.
      response.on('close', () => {
        if (!response.complete) finish(Object.assign(new Error('connection closed before the answer was complete'), { code: 'ECONNRESET' }));
      });
    });
    request.end(how.payload);
  });
}

export function headerValue(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? (value[0] ?? null) : value;
}
