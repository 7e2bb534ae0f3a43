/**
 * The Apigee keys of a target entry (DESIGN §4): org, flavour, url, and which credentials the
 * flavour accepts (reference §6): Edge Bearer (tokenEnv) or Basic (usernameEnv + passwordEnv),
 * X Bearer only. Sandboxes need org and flavour; their emulator hands over its own secret.
 */
import type { Diagnostic, Severity } from '../../model/diagnostic.ts';
import type { TargetConfig } from '../../model/target.ts';
import { flavourOf } from './client.ts';

const KNOWN_SETTINGS = new Set(['provider', 'url', 'sandbox', 'insecure', 'ignore', 'org', 'flavour', 'tokenEnv', 'usernameEnv', 'passwordEnv', 'timeout', 'caFile', 'maxAffected']);
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CREDENTIAL_SETTINGS = ['tokenEnv', 'usernameEnv', 'passwordEnv'] as const;

export function validateApigeeTarget(target: TargetConfig): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (severity: Severity, rule: string, message: string, fix: string): void => {
    diagnostics.push({ severity, rule: `apigee/${rule}`, message, fix, source: target.source, target: target.name });
  };
  const settings = target.settings;
  const flavour = flavourOf(target);
  if (typeof settings.org !== 'string' || settings.org === '') {
    report('error', 'org', `target ${target.name} has no org (the Apigee organization its products live in)`, 'add org: <organization name>');
  }
  if (!flavour) {
    // Edge and X differ in auth, list and error shapes: guessing would fail later and less clearly.
    report('error', 'flavour', `target ${target.name}: flavour must be edge (Apigee Edge, Private Cloud) or x (Apigee X, hybrid)`,
      'add flavour: edge or flavour: x');
  }
  for (const key of Object.keys(settings)) {
    if (!KNOWN_SETTINGS.has(key)) {
      report('warning', 'unknown-setting', `target ${target.name}: "${key}" is not an Apigee target setting (ignored)`,
        `use only ${[...KNOWN_SETTINGS].join(', ')}`);
    }
  }
  if (target.sandbox) return diagnostics;

  if (!target.url) {
    report('error', 'url', `target ${target.name} has no url`,
      flavour === 'x' ? 'add url: https://apigee.googleapis.com' : 'add url: https://api.enterprise.apigee.com (or your management server)');
  }
  for (const setting of CREDENTIAL_SETTINGS) {
    const value = settings[setting];
    if (value !== undefined && (typeof value !== 'string' || !ENV_VAR_NAME.test(value))) {
      // Never echo the value: someone may have pasted the credential itself here.
      report('error', 'credential-env', `target ${target.name}: ${setting} must be the NAME of an environment variable, not a credential`,
        `write ${setting}: APIGEE_${setting === 'tokenEnv' ? 'TOKEN' : setting === 'usernameEnv' ? 'USERNAME' : 'PASSWORD'} and put the value in that variable`);
    }
  }
  const hasToken = settings.tokenEnv !== undefined;
  const hasBasic = settings.usernameEnv !== undefined || settings.passwordEnv !== undefined;
  if (flavour === 'x') {
    if (hasBasic) {
      report('error', 'credentials', `target ${target.name}: Apigee X accepts only OAuth Bearer tokens, not usernameEnv/passwordEnv`,
        'remove usernameEnv and passwordEnv; set tokenEnv: APIGEE_TOKEN and export e.g. $(gcloud auth print-access-token) in it');
    }
    if (!hasToken) {
      report('error', 'credentials', `target ${target.name} has no tokenEnv (the environment variable holding the Google OAuth access token)`,
        'add tokenEnv: APIGEE_TOKEN and export the token in that variable');
    }
    return diagnostics;
  }
  if (hasToken && hasBasic) {
    report('error', 'credentials', `target ${target.name}: give either tokenEnv (Bearer) or usernameEnv + passwordEnv (Basic), not both`,
      'remove the credentials you do not use');
  } else if (hasBasic && (settings.usernameEnv === undefined || settings.passwordEnv === undefined)) {
    const missing = settings.usernameEnv === undefined ? 'usernameEnv' : 'passwordEnv';
    report('error', 'credentials', `target ${target.name}: Basic auth needs both usernameEnv and passwordEnv; ${missing} is missing`,
      `add ${missing}: APIGEE_${missing === 'usernameEnv' ? 'USERNAME' : 'PASSWORD'}`);
  } else if (!hasToken && !hasBasic) {
    report('error', 'credentials', `target ${target.name} has no credentials: Apigee Edge needs tokenEnv (Bearer) or usernameEnv + passwordEnv (Basic)`,
      'add tokenEnv: APIGEE_TOKEN, or usernameEnv: APIGEE_USERNAME and passwordEnv: APIGEE_PASSWORD');
  }
  return diagnostics;
}
