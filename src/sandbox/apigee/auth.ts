import { ApigeeHttpError, CODES } from './http.ts';
import type { ApigeeFlavour } from './state.ts';
import type { TokenIssuer } from './token-endpoint.ts';

/** What the emulator accepts. Edge: a token and/or a username+password pair; X: a token. */
export interface ApigeeCredentials {
  /** Accepted as `Authorization: Bearer <token>` on both flavours. */
  token?: string;
  /** With `password`: accepted as `Authorization: Basic base64(username:password)`, Edge only. */
  username?: string;
  password?: string;
  /** Bearer tokens minted by a local token endpoint (token-endpoint.ts), each good for a number of requests. */
  issuer?: TokenIssuer;
}

/** createdBy / lastModifiedBy for bearer callers when no username is configured. */
export const DEFAULT_ACTOR = 'apiproducts-sandbox@example.com';

/** Refuses credentials the flavour could never accept, so a misconfigured emulator fails at start. */
export function checkCredentials(flavour: ApigeeFlavour, credentials: ApigeeCredentials): void {
  const hasToken = (typeof credentials.token === 'string' && credentials.token !== '') || credentials.issuer !== undefined;
  const hasPassword = Boolean(credentials.username) && Boolean(credentials.password);
  if (flavour === 'x' && !hasToken) throw new Error('an Apigee X emulator needs credentials.token (X accepts bearer tokens only)');
  if (flavour === 'edge' && !hasToken && !hasPassword) {
    throw new Error('an Apigee Edge emulator needs credentials.token or credentials.username and credentials.password');
  }
}

function basicUser(encoded: string, credentials: ApigeeCredentials): string | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1 || !credentials.username || !credentials.password) return undefined;
  const [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return username === credentials.username && password === credentials.password ? username : undefined;
}

/**
 * Who the caller is (for createdBy), or the flavour's 401. Edge: Basic (email:password) or Bearer;
 * X: Bearer only (reference §6). The 401 texts are the emulator's; X's is Google's usual one.
 */
export function authenticate(flavour: ApigeeFlavour, header: string | undefined, credentials: ApigeeCredentials): string {
  const [, scheme = '', value = ''] = /^(\S+)\s+(\S+)$/.exec((header ?? '').trim()) ?? [];
  if (scheme.toLowerCase() === 'bearer' && credentials.token && value === credentials.token) {
    return credentials.username ?? DEFAULT_ACTOR;
  }
  if (scheme.toLowerCase() === 'bearer' && credentials.issuer?.accepts(value)) return credentials.username ?? DEFAULT_ACTOR;
  if (flavour === 'edge' && scheme.toLowerCase() === 'basic') {
    const user = basicUser(value, credentials);
    if (user !== undefined) return user;
  }
  const message =
    flavour === 'x'
      ? 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'
      : 'Invalid credentials: send Authorization: Basic base64(email:password) or Bearer <token>';
  throw new ApigeeHttpError(401, CODES.unauthorized, message);
}
