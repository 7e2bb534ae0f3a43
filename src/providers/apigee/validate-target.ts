/**
 * The Apigee keys of a target entry (DESIGN §4): org, flavour, url, and which credentials the
 * flavour accepts (credentials/validate.ts). Sandboxes need org and flavour; their emulator hands
 * over its own secret.
 */
import type { Diagnostic, Severity } from '../../model/diagnostic.ts';
import type { TargetConfig } from '../../model/target.ts';
import { flavourOf } from './client.ts';
import { CREDENTIAL_VARIABLE_SETTINGS } from './credentials/settings.ts';
import { validateApigeeCredentials } from './credentials/validate.ts';

const KNOWN_SETTINGS = new Set([
  'provider', 'url', 'sandbox', 'insecure', 'ignore', 'org', 'flavour', 'timeout', 'caFile', 'maxAffected',
  ...CREDENTIAL_VARIABLE_SETTINGS, 'auth', 'tokenUrl', 'credentialsFile', 'privateCloud',
]);

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
  if (!target.sandbox && !target.url) {
    report('error', 'url', `target ${target.name} has no url`,
      flavour === 'x' ? 'add url: https://apigee.googleapis.com' : 'add url: https://api.enterprise.apigee.com (or your management server)');
  }
  validateApigeeCredentials(target, flavour, report);
  return diagnostics;
}
