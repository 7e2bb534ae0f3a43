/**
 * Apigee Edge OAuth2 tokens from the Edge OAuth2 service (SSO, a Cloud Foundry UAA):
 * `POST https://login.apigee.com/oauth/token`, or `https://{zone}.login.apigee.com/oauth/token`
 * for a SAML org, form-encoded, `Authorization: Basic base64(edgecli:edgeclisecret)`, with
 * `grant_type=password` and `username`+`password` (+ `mfa_token`), or `passcode` (SAML), and
 * `grant_type=refresh_token` with `refresh_token`; the answer carries `access_token`,
 * `refresh_token` and `expires_in` (docs.apigee.com/api-platform/system-administration/management-api-tokens;
 * reference §6 and Round 2). Private Cloud serves the same from its SSO module
 * (`http://{sso}:9099/oauth/token`, docs.apigee.com/private-cloud/v4.52.00/using-saml-edge-management-api):
 * `tokenUrl:` points there.
 */
import type { Endpoint, TargetConfig } from '../../../model/target.ts';
import { postForm, type FormAnswer, type FormPostSettings } from '../../transport/form-post.ts';
import { ProviderError } from '../../transport/provider-error.ts';
import { refreshingToken, type MintedToken, type RefreshingToken } from '../../transport/refreshing-token.ts';
import { readOptionalVariable, readVariable, type EdgeAuthMode } from './settings.ts';

export const EDGE_TOKEN_URL = 'https://login.apigee.com/oauth/token';
/** The public client every Edge tool uses (`edgecli:edgeclisecret`, same docs page; maven plugin config.properties). */
const EDGE_CLIENT_AUTHORIZATION = `Basic ${Buffer.from('edgecli:edgeclisecret').toString('base64')}`;

/** The token endpoint's words (`error_description`, UAA's field), else its `error`, else the status. */
function refusal(answer: FormAnswer): string {
  const described = answer.json?.error_description ?? answer.json?.error;
  return typeof described === 'string' && described !== '' ? described.replace(/\s+/g, ' ').slice(0, 200) : `HTTP ${answer.status}`;
}

export function edgeOAuthToken(target: TargetConfig, endpoint: Endpoint, mode: Exclude<EdgeAuthMode, 'basic'>, transport: FormPostSettings, now: () => number): RefreshingToken {
  const tokenUrl = new URL(typeof target.settings.tokenUrl === 'string' && target.settings.tokenUrl !== '' ? target.settings.tokenUrl : EDGE_TOKEN_URL);
  const shownUrl = `${tokenUrl.origin}${tokenUrl.pathname}`;
  let refreshToken: string | undefined;

  const ask = async (form: Record<string, string>, query: Record<string, string> = {}): Promise<FormAnswer> => {
    const url = new URL(tokenUrl);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return postForm(url, form, { authorization: EDGE_CLIENT_AUTHORIZATION }, transport);
  };

  const accept = (answer: FormAnswer, grant: string): MintedToken => {
    const token = answer.json?.access_token;
    if (answer.status !== 200 || typeof token !== 'string' || token === '') {
      const hint = answer.status === 401 || answer.status === 400 ? ': check the credentials the target names' : '';
      throw new ProviderError(`target ${target.name}: the Apigee Edge token endpoint ${shownUrl} refused the ${grant} grant (${refusal(answer)})${hint}`);
    }
    endpoint.secrets?.add(token);
    const refresh = answer.json?.refresh_token;
    if (typeof refresh === 'string' && refresh !== '') {
      endpoint.secrets?.add(refresh);
      refreshToken = refresh;
    }
    const expiresIn = Number(answer.json?.expires_in);
    return { token, ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresAt: now() + expiresIn * 1000 } : {}) };
  };

  /** The first grant: a refresh token from refreshTokenEnv (get_token's), else the password or passcode grant. */
  const signIn = async (): Promise<MintedToken> => {
    if (mode === 'saml') {
      const passcode = readVariable(target, endpoint, 'passcodeEnv', 'a one-time Apigee SSO passcode (from https://ZONE.login.apigee.com/passcode)');
      return accept(await ask({ grant_type: 'password', passcode }), 'passcode');
    }
    const username = readVariable(target, endpoint, 'usernameEnv', 'the Apigee Edge user name');
    const password = readVariable(target, endpoint, 'passwordEnv', 'the Apigee Edge password');
    const mfa = readOptionalVariable(target, endpoint, 'mfaTokenEnv');
    // The maven plugin sends mfa_token as a query parameter, the docs as a form field: both are sent.
    const answer = await ask({ grant_type: 'password', username, password, ...(mfa ? { mfa_token: mfa } : {}) }, mfa ? { mfa_token: mfa } : {});
    return accept(answer, 'password');
  };

  // Every renewal (expiry or a 401) uses the refresh token first: the same call either way.
  const mint = async (): Promise<MintedToken> => {
    refreshToken ??= readOptionalVariable(target, endpoint, 'refreshTokenEnv');
    if (refreshToken !== undefined) {
      const answer = await ask({ grant_type: 'refresh_token', refresh_token: refreshToken });
      if (answer.status === 200) return accept(answer, 'refresh_token');
      // A refresh token expires too (the docs' "keep your session alive for a longer period"): sign in again.
      refreshToken = undefined;
      if (mode === 'saml' || !hasPassword(target)) {
        throw new ProviderError(`target ${target.name}: the Apigee Edge token endpoint ${shownUrl} refused the refresh token (${refusal(answer)}); ${mode === 'saml' ? 'a SAML passcode is single use: get a new one and a new refresh token' : 'set usernameEnv and passwordEnv, or a fresh refresh token'}`);
      }
    }
    return signIn();
  };
  return refreshingToken(mint, now);
}

function hasPassword(target: TargetConfig): boolean {
  return typeof target.settings.usernameEnv === 'string' && typeof target.settings.passwordEnv === 'string';
}
