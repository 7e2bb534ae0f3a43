/**
 * How requests reach a target: directly, or through the proxy the command's environment names
 * (`https_proxy`/`HTTPS_PROXY` for https targets, `http_proxy`/`HTTP_PROXY` for http ones, except
 * hosts in `no_proxy`/`NO_PROXY`). An https target is reached through an HTTP CONNECT tunnel with
 * TLS to the target inside it, verified exactly as without a proxy (same roots and caFile, same
 * name check); an http target is asked for in absolute form (`GET http://host/path`). The proxy may
 * itself be http:// or https://. Node built-ins only: a tunnel is one CONNECT request and one
 * `tls.connect` over its socket, not worth a dependency.
 */
import { Agent as HttpAgent, request as httpRequest, STATUS_CODES, type ClientRequest, type ClientRequestArgs, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import { isLoopbackHost } from '../../model/target.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** A failure of the proxy, not of the target: named after the proxy, never with its credentials. */
export class ProxyFailure extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

export interface Route {
  /** Sends one request to `url` (on the route's target), directly or through the proxy. */
  request(url: URL, options: { method: string; headers: OutgoingHttpHeaders }): ClientRequest;
  /** The proxy as shown in messages (`http://proxy:3128`, no user or password); absent when direct. */
  proxy?: string;
  /** The variable that named the proxy (`HTTPS_PROXY`), for the fix of a refusal. */
  variable?: string;
  /** The Proxy-Authorization value sent, to be masked if anything echoes it. */
  secret?: string;
}

export interface RouteSettings {
  /** PEM certificates trusted besides the bundled roots: for the target, and for an https proxy. */
  ca?: string;
  env: Env;
  timeoutMs: number;
}

/** The route to `root` (one target, one route, one keep-alive pool). Throws a ProxyFailure for an unusable proxy setting. */
export function openRoute(root: URL, settings: RouteSettings): Route {
  const secure = root.protocol === 'https:';
  // Set explicitly so that NODE_TLS_REJECT_UNAUTHORIZED=0 cannot turn verification off underneath.
  const tls = { rejectUnauthorized: true, ...(settings.ca ? { ca: [...rootCertificates, settings.ca] } : {}) };
  const chosen = proxyFor(root, settings.env);
  if (!chosen) {
    const agent = secure ? new HttpsAgent({ keepAlive: true, ...tls }) : new HttpAgent({ keepAlive: true });
    const send = secure ? httpsRequest : httpRequest;
    return { request: (url, options) => send(url, { ...options, agent }) };
  }
  const proxy = parseProxy(chosen.value, chosen.variable);
  const shown = proxy.url.origin;
  const authorization = proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {};
  const common = { proxy: shown, variable: chosen.variable, ...(proxy.authorization ? { secret: proxy.authorization } : {}) };
  if (secure) {
    const agent = new TunnelAgent({ keepAlive: true, ...tls }, proxy.url, shown, chosen.variable, authorization, settings.timeoutMs);
    return { ...common, request: (url, options) => httpsRequest(url, { ...options, agent }) };
  }
  const proxySecure = proxy.url.protocol === 'https:';
  const agent = proxySecure ? new HttpsAgent({ keepAlive: true, ...tls }) : new HttpAgent({ keepAlive: true });
  const send = proxySecure ? httpsRequest : httpRequest;
  return {
    ...common,
    request: (url, options) =>
      send({
        host: bareHost(proxy.url),
        port: proxy.url.port,
        ...(proxySecure ? { servername: proxyServername(proxy.url) } : {}),
        path: url.href,
        method: options.method,
        headers: { ...options.headers, host: url.host, ...authorization },
        agent,
      }),
  };
}

/** The one-line message of a proxy that answered `status` instead of forwarding. */
export function proxyRefusal(status: number, proxy: string, variable: string | undefined, what: string): ProxyFailure {
  const fix = status === 407 ? `; the proxy wants credentials: put them in ${variable} as http://user:password@host:port` : '';
  return new ProxyFailure(`proxy ${proxy} refused ${what}: HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd() + fix, status >= 500);
}

/** The proxy variable for `root`, unless root is loopback or listed in NO_PROXY. Lower case first, as curl and wget read them. */
export function proxyFor(root: URL, env: Env): { value: string; variable: string } | undefined {
  const names = root.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const variable = names.find((name) => (env[name] ?? '').trim() !== '');
  if (!variable || isLoopbackHost(root.hostname)) return undefined;
  const noProxy = env['no_proxy'] ?? env['NO_PROXY'] ?? '';
  if (bypasses(noProxy, root.hostname, effectivePort(root))) return undefined;
  return { value: env[variable]!.trim(), variable };
}

/**
 * NO_PROXY as curl reads it: comma-separated names, `*` for every host; a name matches itself and
 * its subdomains (`example.com` and `.example.com` both match `api.example.com`, not
 * `badexample.com`); an IP literal matches that address; `:port` limits an entry to that port.
 */
export function bypasses(noProxy: string, hostname: string, port: number): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const { name, entryPort } = splitPort(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    const bare = name.replace(/^\*?\.+/, '').replace(/\.$/, '');
    if (bare === '') continue;
    // An address matches only itself: 2.3 is no suffix of 10.1.2.3.
    if (host === bare || (isIP(host) === 0 && host.endsWith(`.${bare}`))) return true;
  }
  return false;
}

function splitPort(entry: string): { name: string; entryPort?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1]!, ...(bracketed[2] ? { entryPort: Number(bracketed[2]) } : {}) };
  // A bare IPv6 address has several colons and no port.
  const hostPort = /^([^:]+):(\d+)$/.exec(entry);
  return hostPort ? { name: hostPort[1]!, entryPort: Number(hostPort[2]) } : { name: entry };
}

/** `[::1]` as URL spells it, `::1` as node:net takes it. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * TLS to an https:// proxy is checked against the proxy's name. node:https would take the Host
 * header's (the target's) instead; '' for an address, which is then checked as an IP.
 */
function proxyServername(url: URL): string {
  return isIP(bareHost(url)) === 0 ? bareHost(url) : '';
}

function effectivePort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** `http://user:pass@proxy:3128`, `https://proxy`, or `proxy:3128` (http://, as curl assumes). */
function parseProxy(value: string, variable: string): { url: URL; authorization?: string } {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new ProxyFailure(`${variable} is not a proxy URL (expected http://host:port)`, false);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyFailure(`${variable} names a ${url.protocol.slice(0, -1)}:// proxy (${url.host}); only http:// and https:// proxies are supported`, false);
  }
  if (url.username === '' && url.password === '') return { url };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { url, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/**
 * An https agent whose connections are CONNECT tunnels through the proxy, with TLS to the target
 * inside: the agent keeps the TLS sockets alive and reuses them as it does direct ones.
 */
class TunnelAgent extends HttpsAgent {
  constructor(
    options: ConstructorParameters<typeof HttpsAgent>[0] & { ca?: string[] },
    private readonly proxy: URL,
    private readonly shown: string,
    private readonly variable: string,
    private readonly authorization: OutgoingHttpHeaders,
    private readonly timeoutMs: number,
  ) {
    super(options);
  }

  override createConnection(options: ClientRequestArgs, callback?: (error: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = options.host ?? 'localhost';
    const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${options.port}`;
    const send = this.proxy.protocol === 'https:' ? httpsRequest : httpRequest;
    const ca = (this.options as { ca?: string[] }).ca;
    const connect = send({
      host: bareHost(this.proxy),
      port: this.proxy.port,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...this.authorization },
      ...(this.proxy.protocol === 'https:' ? { servername: proxyServername(this.proxy) } : {}),
      agent: false,
      rejectUnauthorized: true,
      ...(ca ? { ca } : {}),
    });
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      connect.destroy();
      callback?.(error, undefined as unknown as Duplex);
    };
    connect.setTimeout(this.timeoutMs, () => fail(new ProxyFailure(`proxy ${this.shown} did not open a tunnel to ${authority} within ${this.timeoutMs / 1000}s`, true)));
    connect.once('error', (error: NodeJS.ErrnoException) => fail(new ProxyFailure(`cannot reach proxy ${this.shown} (${error.code ?? 'network error'})`, true)));
    connect.once('connect', (response, socket: Socket, head: Buffer) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        fail(proxyRefusal(response.statusCode ?? 0, this.shown, this.variable, `the tunnel to ${authority}`));
        return;
      }
      settled = true;
      connect.setTimeout(0);
      if (head.length > 0) socket.unshift(head);
      callback?.(null, tlsConnect({ socket, host, ...(isIP(host) === 0 ? { servername: host } : {}), rejectUnauthorized: true, ...(ca ? { ca } : {}) }));
    });
    connect.end();
    return undefined;
  }
}
