/**
 * Apigee X tokens from Google's own auth library for Node (`google-auth-library`): a
 * service-account key file (`credentialsFile:`), else Application Default Credentials, which the
 * library resolves: GOOGLE_APPLICATION_CREDENTIALS (a service-account key, an `authorized_user`
 * file, or an `external_account` file of Workload Identity Federation), then gcloud's
 * `application_default_credentials.json`, then the metadata server
 * (cloud.google.com/docs/authentication/application-default-credentials). Scope `cloud-platform`
 * (reference §6). The library signs the JWT bearer grant, caches the token and renews it before
 * `expiry_date`; a 401 makes a new client (a fresh grant, not the library's cached token).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { AuthClient } from 'google-auth-library';
import type { Endpoint, TargetConfig } from '../../../model/target.ts';
import { isLoopbackHost } from '../../../model/target.ts';
import { oneLine } from '../../transport/http.ts';
import { ProviderError } from '../../transport/provider-error.ts';
import { refreshingToken, type RefreshingToken } from '../../transport/refreshing-token.ts';

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/**
 * Where the library sends every token grant (google-auth-library 10.x build/src/gtoken/getToken.js
 * and oauth2client.js `oauth2TokenUrl`): it does not read a key file's `token_uri`, which Google's
 * Go and Python libraries honour. A key whose `token_uri` is another endpoint has its grants sent
 * there instead (below): the one way to point a key at a private or test token endpoint.
 */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** A key file is 2–3 KiB; anything much larger is not one. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

interface CredentialsJson {
  type?: unknown;
  token_uri?: unknown;
  [key: string]: unknown;
}

/** The key file's path: credentialsFile (relative to apiproducts.yaml), else GOOGLE_APPLICATION_CREDENTIALS. */
function keyFilePath(target: TargetConfig, endpoint: Endpoint): { path: string; from: string } | undefined {
  const setting = target.settings.credentialsFile;
  if (typeof setting === 'string' && setting !== '') {
    return { path: isAbsolute(setting) ? setting : resolve(dirname(target.source.file), setting), from: `credentialsFile of target ${target.name}` };
  }
  const adc = (endpoint.env ?? process.env).GOOGLE_APPLICATION_CREDENTIALS;
  return adc ? { path: adc, from: 'GOOGLE_APPLICATION_CREDENTIALS' } : undefined;
}

/** The file's JSON; errors name the path, never any of its content (it holds a private key). */
function readCredentialsFile(path: string, from: string): CredentialsJson {
  let text: string;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
    if (stats.size > MAX_KEY_FILE_BYTES) throw Object.assign(new Error('too large'), { code: `larger than ${MAX_KEY_FILE_BYTES / 1024} KiB` });
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ProviderError(`${from}: cannot read ${path} (${(error as { code?: string }).code ?? 'unreadable'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text: never shown.
    throw new ProviderError(`${from}: ${path} is not a JSON credentials file (download a service-account key, or run gcloud auth application-default login)`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ProviderError(`${from}: ${path} is not a JSON credentials object`);
  return parsed as CredentialsJson;
}

/** A `token_uri` other than Google's: https, or http to loopback only (a test endpoint). */
function tokenUriOf(json: CredentialsJson, from: string): URL | undefined {
  if (typeof json.token_uri !== 'string' || json.token_uri === GOOGLE_TOKEN_URL) return undefined;
  let url: URL;
  try {
    url = new URL(json.token_uri);
  } catch {
    throw new ProviderError(`${from}: token_uri is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ProviderError(`${from}: token_uri must be https (plain http only to this machine)`);
  }
  return url;
}

/** Secret-free words of the library's failure: its message, one line, masked. */
function libraryFailure(target: TargetConfig, source: string, error: unknown, secrets: readonly string[]): ProviderError {
  const message = oneLine(error instanceof Error ? error.message : String(error), secrets);
  const fix = source === 'Application Default Credentials'
    ? '; on a laptop run gcloud auth application-default login, in CI set up Workload Identity Federation (docs/apigee-credentials.md), or set credentialsFile: or tokenEnv: on the target'
    : '';
  // No status: a refused grant is not the management server's 401, which would renew and resend.
  return new ProviderError(`target ${target.name}: cannot obtain a Google access token from ${source} (${message})${fix}`);
}

export function googleToken(target: TargetConfig, endpoint: Endpoint): RefreshingToken {
  let client: AuthClient | undefined;
  const located = keyFilePath(target, endpoint);
  const source = located ? `${located.from} (${located.path})` : 'Application Default Credentials';
  const seen: string[] = [];

  const makeClient = async (): Promise<AuthClient> => {
    // Loaded when a token is first needed: the library and its dependencies take about 35 ms to
    // load, which every run would otherwise pay before its first request, on any vendor.
    const { GoogleAuth } = await import('google-auth-library');
    if (!located) return new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] }).getClient();
    const json = readCredentialsFile(located.path, located.from);
    for (const key of ['private_key', 'client_secret', 'refresh_token']) {
      const value = json[key];
      if (typeof value === 'string') {
        endpoint.secrets?.add(value);
        seen.push(value);
      }
    }
    const made = await new GoogleAuth({ credentials: json as never, scopes: [CLOUD_PLATFORM_SCOPE] }).getClient();
    const tokenUri = tokenUriOf(json, located.from);
    if (tokenUri) {
      made.transporter.interceptors.request.add({
        resolved: async (config) => {
          if (String(config.url) === GOOGLE_TOKEN_URL) config.url = tokenUri;
          return config;
        },
      });
    }
    return made;
  };

  return refreshingToken(async (renewal) => {
    try {
      if (!client || renewal) client = await makeClient();
      const { token } = await client.getAccessToken();
      if (!token) throw new Error('the library returned no token');
      endpoint.secrets?.add(token);
      seen.push(token);
      const expiry = (client as { credentials?: { expiry_date?: number | null } }).credentials?.expiry_date;
      return { token, ...(typeof expiry === 'number' ? { expiresAt: expiry } : {}) };
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      throw libraryFailure(target, source, error, seen);
    }
  });
}
