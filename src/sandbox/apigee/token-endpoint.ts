/**
 * A local OAuth2 token endpoint for tests of minted credentials, playing two services:
 * - Google's (`POST /token`): the JWT bearer grant (RFC 7523) a service-account key makes,
 *   `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS256 JWT>`; the signature is
 *   checked with the account's public key, and `aud`, `iss`, `scope`, `iat`/`exp` as Google does
 *   (developers.google.com/identity/protocols/oauth2/service-account "Preparing to make an
 *   authorized API call": aud = the token URL, exp at most one hour after iat); and the
 *   `refresh_token` grant of an `authorized_user` file (gcloud ADC). Failures answer Google's
 *   `{"error":"invalid_grant","error_description":"…"}` (the texts are the emulator's).
 * - Apigee Edge's (`POST /oauth/token`): client `edgecli:edgeclisecret` in Basic, `grant_type=password`
 *   with `username`+`password` (+`mfa_token`) or a single-use `passcode`, and `grant_type=refresh_token`
 *   (docs.apigee.com/api-platform/system-administration/management-api-tokens). Refusals answer
 *   UAA's `{"error":"unauthorized","error_description":"Bad credentials"}` shape [I: the texts are unconfirmed].
 * Each access token it issues is accepted by the management emulator (`issuer`) for
 * `requestsPerToken` requests, then refused with a 401: a token expiring mid-apply, made
 * deterministic by counting requests instead of time.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultInjector, readBody } from '../faults.ts';
import { listenEmulator } from '../listen.ts';

/** What the management emulator asks about a bearer token (auth.ts). */
export interface TokenIssuer {
  /** True, and one use counted, while the token is one this endpoint issued and has uses left. */
  accepts(token: string): boolean;
}

export interface TokenEndpointOptions {
  /** Google: client_email → PEM public key of each service account. */
  serviceAccounts?: Record<string, string>;
  /** Google: `authorized_user` refresh tokens accepted, by client_id. */
  userRefreshTokens?: Record<string, string>;
  /** Edge: user name → password. */
  users?: Record<string, string>;
  /** Edge: the MFA code required of every password grant, when MFA is on. */
  mfaCode?: string;
  /** Edge: passcodes accepted once each (SAML). */
  passcodes?: string[];
  /** Management requests each access token is good for; unlimited when absent. */
  requestsPerToken?: number;
  /** `expires_in` answered, seconds (Edge's tokens last 1799 s, Google's 3599 s). */
  expiresIn?: number;
  /** Unix ms, for the JWT's iat/exp check. */
  now?: () => number;
}

export interface GrantRecord {
  grant: string;
  status: number;
}

export interface TokenEndpoint {
  url: string;
  /** `url` + `/token`: what a key file's token_uri names. */
  googleTokenUrl: string;
  /** `url` + `/oauth/token`: what an Edge target's tokenUrl names. */
  edgeTokenUrl: string;
  issuer: TokenIssuer;
  /** Every grant asked for, in order. */
  grants: GrantRecord[];
  /** The refresh token issued last (what get_token would have saved), for tests that start from one. */
  lastRefreshToken(): string;
  /** Changes `requestsPerToken` for the tokens issued from now on. */
  setRequestsPerToken(requests: number | undefined): void;
  close(): Promise<void>;
}

/** The audience Google's token endpoint requires in a service account's assertion. */
export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const EDGE_CLIENT = `Basic ${Buffer.from('edgecli:edgeclisecret').toString('base64')}`;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const refuse = (status: number, error: string, description: string): Answer => ({ status, body: { error, error_description: description } });

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function startTokenEndpoint(options: TokenEndpointOptions = {}): Promise<TokenEndpoint> {
  const now = options.now ?? Date.now;
  const usesLeft = new Map<string, number>();
  const refreshTokens = new Set<string>();
  const passcodes = new Set(options.passcodes ?? []);
  const grants: GrantRecord[] = [];
  let requestsPerToken = options.requestsPerToken;

  const issue = (extra: Record<string, unknown> = {}): Record<string, unknown> => {
    const token = `sandbox-access-${randomBytes(12).toString('hex')}`;
    usesLeft.set(token, requestsPerToken ?? Number.POSITIVE_INFINITY);
    return { access_token: token, token_type: 'Bearer', expires_in: options.expiresIn ?? 3599, ...extra };
  };

  const googleAssertion = (assertion: string): Answer => {
    const [header, payload, signature, ...rest] = assertion.split('.');
    if (!header || !payload || signature === undefined || rest.length > 0) return refuse(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe');
    const claims = decodePart(payload);
    if (decodePart(header)?.alg !== 'RS256' || !claims) return refuse(400, 'invalid_grant', 'Invalid JWT Signature.');
    const key = typeof claims.iss === 'string' ? options.serviceAccounts?.[claims.iss] : undefined;
    if (!key) return refuse(400, 'invalid_grant', 'Invalid grant: account not found');
    const signed = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), createPublicKey(key), Buffer.from(signature, 'base64url'));
    if (!signed) return refuse(400, 'invalid_grant', 'Invalid JWT Signature.');
    if (claims.aud !== GOOGLE_TOKEN_AUDIENCE) return refuse(400, 'invalid_grant', 'Invalid JWT: aud must be the token endpoint');
    const seconds = Math.floor(now() / 1000);
    const [iat, exp] = [Number(claims.iat), Number(claims.exp)];
    if (!(iat <= seconds + 60 && exp > seconds && exp - iat <= 3600)) return refuse(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe');
    if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes(CLOUD_PLATFORM_SCOPE)) return refuse(400, 'invalid_scope', 'the cloud-platform scope was not asked for');
    return { status: 200, body: issue() };
  };

  const google = (form: URLSearchParams): Answer => {
    if (form.get('grant_type') === JWT_BEARER) return googleAssertion(form.get('assertion') ?? '');
    if (form.get('grant_type') === 'refresh_token') {
      const client = form.get('client_id') ?? '';
      const expected = options.userRefreshTokens?.[client];
      if (expected === undefined || form.get('refresh_token') !== expected) return refuse(400, 'invalid_grant', 'Bad Request');
      return { status: 200, body: issue({ scope: CLOUD_PLATFORM_SCOPE }) };
    }
    return refuse(400, 'unsupported_grant_type', 'Invalid grant_type');
  };

  const edge = (form: URLSearchParams, query: URLSearchParams, authorization: string | undefined): Answer => {
    if (authorization !== EDGE_CLIENT) return refuse(401, 'unauthorized', 'Bad credentials');
    const withRefresh = (): Answer => {
      const refresh = `sandbox-refresh-${randomBytes(12).toString('hex')}`;
      refreshTokens.add(refresh);
      return { status: 200, body: issue({ token_type: 'bearer', refresh_token: refresh, expires_in: options.expiresIn ?? 1799, scope: 'scim.me openid password.write approvals.me oauth.approvals' }) };
    };
    const grant = form.get('grant_type');
    if (grant === 'refresh_token') return refreshTokens.has(form.get('refresh_token') ?? '') ? withRefresh() : refuse(401, 'invalid_token', 'Invalid refresh token');
    if (grant !== 'password') return refuse(400, 'unsupported_grant_type', 'Unsupported grant type');
    const passcode = form.get('passcode');
    if (passcode !== null) {
      // Single use: a passcode shown once by https://ZONE.login.apigee.com/passcode.
      if (!passcodes.delete(passcode)) return refuse(401, 'unauthorized', 'Bad credentials');
      return withRefresh();
    }
    const username = form.get('username') ?? '';
    if (options.users?.[username] === undefined || options.users[username] !== form.get('password')) return refuse(401, 'unauthorized', 'Bad credentials');
    const mfa = form.get('mfa_token') ?? query.get('mfa_token');
    if (options.mfaCode !== undefined && mfa !== options.mfaCode) return refuse(401, 'unauthorized', 'Bad credentials');
    return withRefresh();
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const form = new URLSearchParams(await readBody(request));
    let answer: Answer;
    if (request.method !== 'POST') answer = refuse(405, 'invalid_request', 'POST only');
    else if (url.pathname === '/token') answer = google(form);
    else if (url.pathname === '/oauth/token') answer = edge(form, url.searchParams, request.headers.authorization);
    else answer = refuse(404, 'not_found', `no token endpoint at ${url.pathname}`);
    grants.push({ grant: form.get('grant_type') ?? '', status: answer.status });
    const text = JSON.stringify(answer.body);
    response.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  }

  const listening = await listenEmulator(handle, {}, new FaultInjector({}));
  return {
    url: listening.url,
    googleTokenUrl: `${listening.url}/token`,
    edgeTokenUrl: `${listening.url}/oauth/token`,
    grants,
    lastRefreshToken: () => [...refreshTokens].at(-1) ?? '',
    setRequestsPerToken: (requests) => {
      requestsPerToken = requests;
    },
    issuer: {
      accepts(token) {
        const left = usesLeft.get(token);
        if (left === undefined || left <= 0) return false;
        usesLeft.set(token, left - 1);
        return true;
      },
    },
    close: listening.close,
  };
}
