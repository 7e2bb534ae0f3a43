/**
 * Which credential settings an Apigee target may combine (reference §6 and Round 2): X takes a
 * static token (tokenEnv), a key file (credentialsFile) or Application Default Credentials (none
 * of them); Edge takes a static token, Basic, or tokens from its OAuth2 service (auth: oauth |
 * saml). Values are never echoed: someone may have pasted a credential where a name belongs.
 */
import type { Severity } from '../../../model/diagnostic.ts';
import { isLoopbackHost, type TargetConfig } from '../../../model/target.ts';
import { CREDENTIAL_VARIABLE_SETTINGS, EDGE_AUTH_MODES, edgeAuthMode } from './settings.ts';

export type Report = (severity: Severity, rule: string, message: string, fix: string) => void;

const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SUGGESTED: Record<string, string> = {
  tokenEnv: 'APIGEE_TOKEN',
  usernameEnv: 'APIGEE_USERNAME',
  passwordEnv: 'APIGEE_PASSWORD',
  passcodeEnv: 'APIGEE_PASSCODE',
  mfaTokenEnv: 'APIGEE_MFA_CODE',
  refreshTokenEnv: 'APIGEE_REFRESH_TOKEN',
};

export function validateApigeeCredentials(target: TargetConfig, flavour: 'edge' | 'x' | undefined, report: Report): void {
  const settings = target.settings;
  const set = (key: string): boolean => settings[key] !== undefined;
  const name = target.name;
  for (const setting of CREDENTIAL_VARIABLE_SETTINGS) {
    const value = settings[setting];
    if (value !== undefined && (typeof value !== 'string' || !ENV_VAR_NAME.test(value))) {
      report('error', 'credential-env', `target ${name}: ${setting} must be the NAME of an environment variable, not a credential`,
        `write ${setting}: ${SUGGESTED[setting]} and put the value in that variable`);
    }
  }
  if (set('privateCloud') && flavour === 'x') {
    report('error', 'private-cloud', `target ${name}: privateCloud is an Apigee Edge setting (Edge for Private Cloud)`, 'remove privateCloud, or use flavour: edge');
  } else if (set('privateCloud') && !target.sandbox) {
    report('warning', 'private-cloud', `target ${name}: privateCloud only changes the sandbox; a real Private Cloud server needs only its url (http://MS:8080/v1)`, 'remove privateCloud');
  }
  if (target.sandbox) return;
  if (flavour === 'x') return validateX(target, set, report);
  if (flavour === 'edge') validateEdge(target, set, report);
}

function validateX(target: TargetConfig, set: (key: string) => boolean, report: Report): void {
  const name = target.name;
  if (set('usernameEnv') || set('passwordEnv') || set('passcodeEnv')) {
    report('error', 'credentials', `target ${name}: Apigee X accepts only Google OAuth tokens, not usernameEnv/passwordEnv/passcodeEnv`,
      'remove them; use Application Default Credentials (gcloud auth application-default login), credentialsFile: KEY.json, or tokenEnv: APIGEE_TOKEN');
  }
  for (const edgeOnly of ['auth', 'tokenUrl', 'mfaTokenEnv', 'refreshTokenEnv']) {
    if (set(edgeOnly)) {
      report('error', 'credentials', `target ${name}: ${edgeOnly} is an Apigee Edge setting; X tokens come from Google`,
        `remove ${edgeOnly}${edgeOnly === 'tokenUrl' ? ' (a key file names its own token_uri)' : ''}`);
    }
  }
  if (set('tokenEnv') && set('credentialsFile')) {
    report('error', 'credentials', `target ${name}: give either tokenEnv (a token you mint) or credentialsFile (a key apiproducts mints tokens from), not both`, 'remove the one you do not use');
  }
}

function validateEdge(target: TargetConfig, set: (key: string) => boolean, report: Report): void {
  const name = target.name;
  const auth = target.settings.auth;
  if (set('credentialsFile')) report('error', 'credentials', `target ${name}: credentialsFile is an Apigee X setting (a Google key file)`, 'remove credentialsFile; Edge takes auth: basic | oauth | saml');
  if (auth !== undefined && edgeAuthMode(target) === undefined) {
    return report('error', 'auth', `target ${name}: auth must be ${EDGE_AUTH_MODES.join(', ')}`, 'write auth: oauth (or basic, saml)');
  }
  const mode = edgeAuthMode(target);
  const hasBasic = set('usernameEnv') || set('passwordEnv');
  const bothBasic = set('usernameEnv') && set('passwordEnv');
  if (set('tokenEnv') && (mode !== undefined || hasBasic)) {
    return report('error', 'credentials', `target ${name}: tokenEnv is a token you give; it does not combine with auth:, usernameEnv or passwordEnv`, 'remove tokenEnv, or the other credential settings');
  }
  if ((set('tokenUrl') || set('refreshTokenEnv')) && mode !== 'oauth' && mode !== 'saml') {
    report('error', 'credentials', `target ${name}: tokenUrl and refreshTokenEnv go with auth: oauth or auth: saml`, 'add auth: oauth (or saml), or remove them');
  }
  if (set('mfaTokenEnv') && mode !== 'oauth') report('error', 'credentials', `target ${name}: mfaTokenEnv goes with auth: oauth`, 'add auth: oauth, or remove mfaTokenEnv');
  if (set('passcodeEnv') && mode !== 'saml') report('error', 'credentials', `target ${name}: passcodeEnv goes with auth: saml`, 'add auth: saml, or remove passcodeEnv');
  checkTokenUrl(target, report);
  if (mode === 'saml') {
    if (!set('passcodeEnv') && !set('refreshTokenEnv')) report('error', 'credentials', `target ${name}: auth: saml needs passcodeEnv (a one-time passcode) or refreshTokenEnv`, 'add passcodeEnv: APIGEE_PASSCODE');
    if (!set('tokenUrl')) report('error', 'credentials', `target ${name}: auth: saml needs tokenUrl, the token endpoint of your SSO zone`, 'add tokenUrl: https://ZONE.login.apigee.com/oauth/token');
    if (hasBasic) report('error', 'credentials', `target ${name}: auth: saml signs in with a passcode, not usernameEnv/passwordEnv`, 'remove usernameEnv and passwordEnv, or use auth: oauth');
    return;
  }
  if (mode === 'oauth' && !bothBasic && !set('refreshTokenEnv')) {
    return report('error', 'credentials', `target ${name}: auth: oauth needs usernameEnv and passwordEnv (or refreshTokenEnv)`, 'add usernameEnv: APIGEE_USERNAME and passwordEnv: APIGEE_PASSWORD');
  }
  if (mode === 'oauth') return;
  if (hasBasic && !bothBasic) {
    const missing = set('usernameEnv') ? 'passwordEnv' : 'usernameEnv';
    return report('error', 'credentials', `target ${name}: Basic auth needs both usernameEnv and passwordEnv; ${missing} is missing`, `add ${missing}: ${SUGGESTED[missing]}`);
  }
  if (mode === 'basic' && !bothBasic) return;
  if (!set('tokenEnv') && !hasBasic) {
    report('error', 'credentials', `target ${name} has no credentials: Apigee Edge needs tokenEnv (Bearer), usernameEnv + passwordEnv (Basic, or auth: oauth), or auth: saml`,
      'add tokenEnv: APIGEE_TOKEN, or usernameEnv: APIGEE_USERNAME and passwordEnv: APIGEE_PASSWORD');
  }
}

/** tokenUrl: a URL, https, or plain http only to loopback or with insecure: true (as url, config.ts). */
function checkTokenUrl(target: TargetConfig, report: Report): void {
  const value = target.settings.tokenUrl;
  if (value === undefined) return;
  let url: URL | undefined;
  try {
    url = new URL(String(value));
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return report('error', 'token-url', `target ${target.name}: tokenUrl is not an http(s) URL`, 'write tokenUrl: https://login.apigee.com/oauth/token (or your zone\'s, or your SSO module\'s)');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !target.insecure) {
    report('error', 'token-url', `target ${target.name}: tokenUrl uses plain http:// to a host that is not loopback; the password would travel unencrypted`, 'use https://, or set insecure: true on this target if the network is trusted');
  }
}
