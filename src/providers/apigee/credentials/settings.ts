/**
 * The credential settings of an Apigee target and the variables they name. Values are read only
 * when a request needs them, added to the run's masker as read, and sent trimmed.
 */
import type { Endpoint, TargetConfig } from '../../../model/target.ts';
import { ProviderError } from '../../transport/provider-error.ts';

/** How an Edge target signs in (reference §6, Round 2): Basic, OAuth2 password grant, or a SAML passcode. */
export const EDGE_AUTH_MODES = ['basic', 'oauth', 'saml'] as const;
export type EdgeAuthMode = (typeof EDGE_AUTH_MODES)[number];

/** Settings that name an environment variable (never hold the value). */
export const CREDENTIAL_VARIABLE_SETTINGS = ['tokenEnv', 'usernameEnv', 'passwordEnv', 'passcodeEnv', 'mfaTokenEnv', 'refreshTokenEnv'] as const;

/**
 * The value of the variable a setting names, trimmed (`$(cat token)` keeps a trailing newline).
 * A user name is an identifier: masked whole, not by fragment.
 */
export function readVariable(target: TargetConfig, endpoint: Endpoint, setting: string, holds: string): string {
  const value = readOptionalVariable(target, endpoint, setting);
  if (value === undefined) {
    const variable = target.settings[setting];
    if (typeof variable !== 'string' || variable === '') {
      throw new ProviderError(`target ${target.name}: ${setting} is not set (the name of the environment variable holding ${holds})`);
    }
    throw new ProviderError(`environment variable ${variable} is not set (it must hold ${holds})`);
  }
  return value;
}

/** As readVariable, but undefined when the setting is absent or its variable empty. */
export function readOptionalVariable(target: TargetConfig, endpoint: Endpoint, setting: string): string | undefined {
  const variable = target.settings[setting];
  if (typeof variable !== 'string' || variable === '') return undefined;
  const value = (endpoint.env ?? process.env)[variable];
  endpoint.secrets?.add(value, { fragments: setting !== 'usernameEnv' });
  if (value === undefined || value.trim() === '') return undefined;
  return value.trim();
}

/** `auth:` of an Edge target; without it, Basic when usernameEnv/passwordEnv are set (as before). */
export function edgeAuthMode(target: TargetConfig): EdgeAuthMode | undefined {
  const auth = target.settings.auth;
  return EDGE_AUTH_MODES.find((mode) => mode === auth);
}
