/**
 * API7 key-auth and basic-auth options in state (issue 14): `header`, `query`, `hide_credentials`.
 *
 * Each option is its own top-level state field (`keyAuthHeader`, …), present only when it differs
 * from the server default (`apikey`, `apikey`, false). Two reasons:
 * - a product whose options are the defaults keeps the state, and so the last-applied
 *   fingerprint, it had before options were modelled: no false "changed outside Git";
 * - "absent is not default": an option Git does not write is listed in the desired object's
 *   `ignore`, and the planner keeps it at its live value (the same mechanism as a target's
 *   `ignore:`). A top-level field there never leaves an empty parent behind in the state, which
 *   would change the fingerprint apply writes.
 * An option Git does write is compared like any field, so an out-of-band edit of it shows.
 */
import type { AuthMethod } from '../../model/product.ts';
import type { Api7Auth } from './wire.ts';

type Method = 'key-auth' | 'basic-auth';
type Value = string | boolean;

interface OptionField {
  /** The state field. */
  field: AuthOptionField;
  method: Method;
  /** The key in the Git options object. */
  git: 'header' | 'query' | 'hideCredentials';
  /** The key in the API7 `auth.<method>` object. */
  wire: 'header' | 'query' | 'hide_credentials';
  /** The server default, which state leaves out. */
  fallback: Value;
}

export type AuthOptionField = 'keyAuthHeader' | 'keyAuthQuery' | 'keyAuthHideCredentials' | 'basicAuthHideCredentials';
export type AuthOptionsState = Partial<Record<AuthOptionField, Value>>;

export const AUTH_OPTIONS: readonly OptionField[] = [
  { field: 'keyAuthHeader', method: 'key-auth', git: 'header', wire: 'header', fallback: 'apikey' },
  { field: 'keyAuthQuery', method: 'key-auth', git: 'query', wire: 'query', fallback: 'apikey' },
  { field: 'keyAuthHideCredentials', method: 'key-auth', git: 'hideCredentials', wire: 'hide_credentials', fallback: false },
  { field: 'basicAuthHideCredentials', method: 'basic-auth', git: 'hideCredentials', wire: 'hide_credentials', fallback: false },
];

export const AUTH_OPTION_FIELDS: readonly AuthOptionField[] = AUTH_OPTIONS.map((option) => option.field);

/** The method an auth item names (`oauth` included), plain or with options. */
export function methodOf(item: AuthMethod): string {
  return typeof item === 'string' ? item : (Object.keys(item)[0] ?? '');
}

/** The options a Git auth item writes (empty for a plain string). */
function gitOptions(items: readonly AuthMethod[], method: Method): Record<string, unknown> | undefined {
  const item = items.find((candidate) => methodOf(candidate) === method);
  if (item === undefined) return undefined;
  return typeof item === 'string' ? {} : ((item as Record<string, Record<string, unknown>>)[method] ?? {});
}

/**
 * Git → state: the options Git writes (defaults left out, like live), and the option fields of
 * listed methods Git does not write, which the planner keeps at their live value. A method Git
 * does not list has no options to keep: they go with it.
 */
export function desiredAuthOptions(items: readonly AuthMethod[]): { options: AuthOptionsState; ignore: AuthOptionField[] } {
  const options: AuthOptionsState = {};
  const ignore: AuthOptionField[] = [];
  for (const option of AUTH_OPTIONS) {
    const written = gitOptions(items, option.method);
    if (written === undefined) continue;
    const value = written[option.git];
    if (value === undefined) ignore.push(option.field);
    else if (value !== option.fallback) options[option.field] = value as Value;
  }
  return { options, ignore };
}

/** live → state: the options of enabled methods that differ from the server defaults. */
export function liveAuthOptions(auth: Api7Auth | undefined): AuthOptionsState {
  const options: AuthOptionsState = {};
  for (const option of AUTH_OPTIONS) {
    const config = auth?.[option.method] as Record<string, unknown> | undefined;
    const value = config?.[option.wire];
    if (value !== undefined && value !== option.fallback) options[option.field] = value as Value;
  }
  return options;
}

/**
 * state → the `auth.<method>` object: the live config (unknown keys kept, key order kept so an
 * unchanged product is written back byte for byte) with every option set from state. An option
 * absent from state is the default: a live non-default value is removed, a live default stays.
 */
export function authConfigBody(method: Method, state: AuthOptionsState, live: Record<string, unknown>): Record<string, unknown> {
  const config = { ...live };
  for (const option of AUTH_OPTIONS.filter((candidate) => candidate.method === method)) {
    const value = state[option.field];
    if (value !== undefined) config[option.wire] = value;
    else if (config[option.wire] !== option.fallback) delete config[option.wire];
  }
  return config;
}

/** state → Git: the auth item of a method, with the options that differ from the defaults. */
export function gitAuthItem(method: Method, state: AuthOptionsState): AuthMethod {
  const written: Record<string, Value> = {};
  for (const option of AUTH_OPTIONS.filter((candidate) => candidate.method === method)) {
    const value = state[option.field];
    if (value !== undefined) written[option.git] = value;
  }
  if (Object.keys(written).length === 0) return method;
  return (method === 'key-auth' ? { 'key-auth': written } : { 'basic-auth': written }) as AuthMethod;
}
