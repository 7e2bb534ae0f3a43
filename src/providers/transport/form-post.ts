/**
 * One `application/x-www-form-urlencoded` POST and its JSON answer: what OAuth2 token endpoints
 * take (RFC 6749 §4.3, §6). Over the same route as the management API (proxy variables, caFile,
 * TLS verification on), with a timeout and a small body cap; an answer that is not JSON is an
 * error naming the status only, never the body (it may echo what was sent).
 */
import type { IncomingMessage } from 'node:http';
import { openRoute, type Env } from './proxy.ts';
import { ProviderError } from './provider-error.ts';

/** A token answer is a few KiB. */
const MAX_ANSWER_BYTES = 256 * 1024;

export interface FormPostSettings {
  ca?: string;
  env: Env;
  timeoutMs: number;
}

export interface FormAnswer {
  status: number;
  /** The parsed JSON body; undefined when the body was empty or not JSON. */
  json: Record<string, unknown> | undefined;
}

export async function postForm(url: URL, form: Record<string, string>, headers: Record<string, string>, settings: FormPostSettings): Promise<FormAnswer> {
  const route = openRoute(url, { ...(settings.ca === undefined ? {} : { ca: settings.ca }), env: settings.env, timeoutMs: settings.timeoutMs });
  const payload = new URLSearchParams(form).toString();
  const text = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = route.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${settings.timeoutMs / 1000}s`)), settings.timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(new ProviderError(`POST ${url.origin}${url.pathname}: cannot reach ${url.host} (${(error as { code?: string }).code ?? error.message})`, undefined, true));
    });
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) request.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.end(payload);
  });
  let json: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(text.text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: text.status, json };
}
