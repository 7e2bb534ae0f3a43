/**
 * Which credentials an Apigee target sends (reference §6 and Round 2):
 * - a sandbox: Bearer with the emulator's secret;
 * - `tokenEnv`: that Bearer token as is, on either flavour (never renewed);
 * - X: Google tokens minted and renewed from `credentialsFile:` or Application Default Credentials (google.ts);
 * - Edge `auth: oauth | saml`: tokens from the Edge OAuth2 service (edge-oauth.ts);
 * - Edge `auth: basic`, or usernameEnv + passwordEnv without `auth`: Basic.
 */
import { SANDBOX_SECRET } from '../../../model/masker.ts';
import type { Endpoint, TargetConfig } from '../../../model/target.ts';
import type { FormPostSettings } from '../../transport/form-post.ts';
import { ProviderError } from '../../transport/provider-error.ts';
import { staticToken, type RefreshingToken } from '../../transport/refreshing-token.ts';
import { edgeOAuthToken } from './edge-oauth.ts';
import { googleToken } from './google.ts';
import { edgeAuthMode, readVariable } from './settings.ts';

export interface ApigeeAuthorization {
  /** The Authorization header for the next request (mints or renews a token when needed). */
  header(): Promise<string>;
  /** The server refused `header`: renew; false when these credentials cannot be renewed. */
  renew(header: string): Promise<boolean>;
  /** Every secret part sent so far, for masking a server's echo. */
  readonly secrets: readonly string[];
  /** Tokens minted so far (0 for static credentials). */
  readonly mints: number;
}

function bearer(source: RefreshingToken, secrets: string[]): ApigeeAuthorization {
  return {
    secrets,
    get mints() {
      return source.mints;
    },
    async header() {
      const token = await source.current();
      if (!secrets.includes(token)) secrets.push(token);
      return `Bearer ${token}`;
    },
    renew: (header) => source.renew(header.replace(/^Bearer /, '')),
  };
}

function basic(target: TargetConfig, endpoint: Endpoint, secrets: string[]): ApigeeAuthorization {
  return {
    secrets,
    mints: 0,
    async header() {
      const username = readVariable(target, endpoint, 'usernameEnv', 'the Apigee Edge user name');
      const password = readVariable(target, endpoint, 'passwordEnv', 'the Apigee Edge password');
      const encoded = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
      // What goes on the wire, and what a server decoding it may echo.
      endpoint.secrets?.add(encoded);
      endpoint.secrets?.add(`${username}:${password}`);
      // The user name too: a server echoing it back must not put it in a CI log either.
      secrets.splice(0, secrets.length, password, encoded, username);
      return `Basic ${encoded}`;
    },
    renew: async () => false,
  };
}

export function apigeeAuthorization(target: TargetConfig, endpoint: Endpoint, transport: FormPostSettings, now: () => number = Date.now): ApigeeAuthorization {
  const secrets: string[] = [];
  if (endpoint.secret !== undefined) {
    const secret = endpoint.secret;
    endpoint.secrets?.add(secret, SANDBOX_SECRET);
    return bearer(staticToken(() => secret), secrets);
  }
  const { tokenEnv, usernameEnv, passwordEnv } = target.settings;
  const flavour = target.settings.flavour === 'x' ? 'x' : 'edge';
  const holds = `the Apigee ${flavour === 'x' ? 'X (Google Cloud)' : 'Edge'} OAuth access token`;
  if (tokenEnv !== undefined) return bearer(staticToken(() => readVariable(target, endpoint, 'tokenEnv', holds)), secrets);
  if (flavour === 'x') {
    if (usernameEnv !== undefined || passwordEnv !== undefined) {
      throw new ProviderError(`target ${target.name}: Apigee X takes Google OAuth tokens, not usernameEnv/passwordEnv; set credentialsFile: or tokenEnv:, or use Application Default Credentials`);
    }
    return bearer(googleToken(target, endpoint), secrets);
  }
  const mode = edgeAuthMode(target) ?? (usernameEnv !== undefined || passwordEnv !== undefined ? 'basic' : undefined);
  if (mode === 'oauth' || mode === 'saml') return bearer(edgeOAuthToken(target, endpoint, mode, transport, now), secrets);
  if (mode === 'basic') return basic(target, endpoint, secrets);
  // Nothing set: the same message as before for the token a target most often lacks.
  return bearer(staticToken(() => readVariable(target, endpoint, 'tokenEnv', holds)), secrets);
}
