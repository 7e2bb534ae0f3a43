import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { DocumentLocator } from '../model/positions.ts';
import { collectSecrets } from '../model/secrets.ts';
import { isLoopbackHost, type Config, type TargetConfig } from '../model/target.ts';
import { displayPath, type ReadConfigResult } from '../load/read-config.ts';
import { checkCharacters } from './characters.ts';
import { positionKey } from './product-documents.ts';
import { checkSecretLiterals } from './rules.ts';
import { validateSchema } from './schema.ts';

export const CONFIG_DEFAULTS = { prune: false, concurrency: 8 } as const;

export interface CheckedConfig {
  /**
   * Present when the file parsed and matches the schema (its shape can be trusted), even if
   * other checks (insecure url, missing url) failed; absent otherwise.
   */
  config?: Config;
  diagnostics: Diagnostic[];
  /** Strings that look like credentials (values or keys): kept out of every message. */
  secrets: string[];
}

/** The checks of a loaded `apiproducts.yaml` (DESIGN §4) and the Config it describes. */
export function checkConfig(read: ReadConfigResult, cwd: string): CheckedConfig {
  const document = read.document;
  if (!document) return { diagnostics: [], secrets: [] };
  const shown = read.file;
  const absolute = read.absolutePath;
  const diagnostics: Diagnostic[] = [];
  const { locate, locateKey } = document.locator;
  const secretStrings = collectSecrets(document.value);
  const secrets = checkSecretLiterals(document.value, locate, [], locateKey);
  const schema = validateSchema('targets', document.value, document.locator);
  // A token written into tokenEnv also fails its pattern; the secret message is the useful one.
  const secretAt = new Set(secrets.map((d) => positionKey(d.source)));
  const schemaAt = new Set(schema.diagnostics.map((d) => positionKey(d.source)));
  diagnostics.push(...secrets, ...schema.diagnostics.filter((d) => !secretAt.has(positionKey(d.source))));
  diagnostics.push(...checkCharacters(document.value, locate, locateKey).filter((d) => !schemaAt.has(positionKey(d.source))));
  // The url checks run even when the schema failed, so that every problem shows in one run.
  const raw = document.value as { targets?: unknown; prune?: boolean; concurrency?: number; owner?: string };
  const entries = isRecord(raw) && isRecord(raw.targets) ? Object.entries(raw.targets) : [];
  const owner = isRecord(raw) && typeof raw.owner === 'string' ? raw.owner : undefined;
  const targets = entries.flatMap(([name, entry]) => (isRecord(entry) ? [buildTarget(name, entry, document.locator, diagnostics, absolute, cwd)] : []));
  if (owner !== undefined) for (const target of targets) target.owner = owner;
  dropShadowed(diagnostics);
  if (!schema.valid || read.diagnostics.some((d) => d.severity === 'error')) return { diagnostics, secrets: secretStrings };

  const config: Config = {
    file: shown,
    targets,
    prune: raw.prune ?? CONFIG_DEFAULTS.prune,
    ...(owner !== undefined ? { owner } : {}),
    concurrency: raw.concurrency ?? CONFIG_DEFAULTS.concurrency,
  };
  return { config, diagnostics, secrets: secretStrings };
}

/**
 * Where a specific rule and a generic one flag the same value, the specific one says more:
 * `config/url-credentials` over `secret/literal`, `config/url-scheme` over the schema's url format.
 */
function dropShadowed(diagnostics: Diagnostic[]): void {
  for (const [specific, generic] of [['config/url-credentials', 'secret/literal'], ['config/url-scheme', 'schema/format']] as const) {
    const at = new Set(diagnostics.filter((d) => d.rule === specific).map((d) => positionKey(d.source)));
    for (let i = diagnostics.length - 1; i >= 0; i--) {
      const d = diagnostics[i];
      if (d?.rule === generic && at.has(positionKey(d.source))) diagnostics.splice(i, 1);
    }
  }
}

const URL_CREDENTIALS = {
  password: (name: string) => `targets.${name}.url contains a user name and password (user:…@host); credentials in a url end up in logs and Git history`,
  user: (name: string) => `targets.${name}.url contains a user name (user@host); apiproducts does not send credentials from a url`,
  query: (name: string) => `targets.${name}.url has a query string (?…); it is never sent, and a token in it ends up in logs and Git history`,
};
const URL_CREDENTIAL_FIXES = {
  password: 'remove user:password@ from the url, revoke the password (it may already be in Git history), and name the environment variables that hold the credentials in tokenEnv (or usernameEnv and passwordEnv for Apigee Edge)',
  user: 'remove user@ from the url; credentials come from the environment variables named by tokenEnv (or usernameEnv and passwordEnv for Apigee Edge)',
  query: 'remove ?… from the url (revoke any token it held); credentials come from the environment variables named by tokenEnv (or usernameEnv and passwordEnv for Apigee Edge)',
};

/**
 * `https://user:password@host`: credentials in a url travel in logs, shell history and error
 * messages; apiproducts takes them only from environment variables. Neither part is echoed. A
 * query string (`?token=…`) is refused whatever it holds: requests go to paths under the url
 * without it, so it is never used, and a query string is where tokens get pasted.
 */
function urlCredentials(url: string): 'password' | 'user' | 'query' | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return parsed.password !== '' ? 'password' : parsed.username !== '' ? 'user' : parsed.search !== '' ? 'query' : undefined;
}

function buildTarget(
  name: string,
  entry: Record<string, unknown>,
  locator: DocumentLocator,
  diagnostics: Diagnostic[],
  configFile: string,
  cwd: string,
): TargetConfig {
  const sandbox = entry['sandbox'] === true;
  const insecure = entry['insecure'] === true;
  const url = typeof entry['url'] === 'string' ? entry['url'] : undefined;
  const target: TargetConfig = {
    name,
    provider: String(entry['provider']),
    sandbox,
    insecure,
    ignore: Array.isArray(entry['ignore']) ? entry['ignore'].map(String) : [],
    // The schema has checked it: a non-negative integer.
    ...(typeof entry['maxAffected'] === 'number' ? { maxAffected: entry['maxAffected'] } : {}),
    settings: entry,
    source: locator.locateKey(['targets', name]),
  };
  readTransport(target, entry, locator, diagnostics, configFile, cwd);
  if (sandbox) {
    if (url !== undefined) {
      diagnostics.push({
        severity: 'warning',
        rule: 'config/sandbox-url',
        message: `targets.${name}.url is ignored: sandbox targets run an embedded emulator on 127.0.0.1`,
        fix: 'remove url, or remove sandbox: true to use the real management API',
        source: locator.locate(['targets', name, 'url']),
        target: name,
      });
    }
    return target;
  }
  if (url === undefined) {
    diagnostics.push({
      severity: 'error',
      rule: 'config/missing-url',
      message: `target "${name}" has no url and is not a sandbox`,
      fix: 'set url to the root of the management API (e.g. https://api7.example.com:7443), or sandbox: true',
      source: target.source,
      target: name,
    });
    return target;
  }
  const scheme = unsupportedScheme(url);
  if (scheme) {
    diagnostics.push({
      severity: 'error',
      rule: 'config/url-scheme',
      message: `targets.${name}.url uses the ${scheme} scheme; a management API is reached over https:// or http://`,
      fix: 'write the https:// root of the management API, e.g. https://api7.example.com:7443',
      source: locator.locate(['targets', name, 'url']),
      target: name,
    });
    return target;
  }
  const credentials = urlCredentials(url);
  if (credentials) {
    diagnostics.push({
      severity: 'error',
      rule: 'config/url-credentials',
      message: URL_CREDENTIALS[credentials](name),
      fix: URL_CREDENTIAL_FIXES[credentials],
      source: locator.locate(['targets', name, 'url']),
      target: name,
    });
  }
  if (isPlainHttpToRemoteHost(url) && !insecure) {
    diagnostics.push({
      severity: 'error',
      rule: 'config/insecure-url',
      message: `targets.${name}.url uses plain http:// to a host that is not loopback; credentials would travel unencrypted`,
      fix: 'use https://, or set insecure: true on this target if the network is trusted',
      source: locator.locate(['targets', name, 'url']),
      target: name,
    });
  }
  target.url = url;
  return target;
}

const TIMEOUT = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };
const TIMEOUT_RANGE_MS = { min: 100, max: 600_000 } as const;

/** `timeout: 30s | 1500ms | 2m | 30` → milliseconds; undefined when absent or not parsable (the schema reports it). */
export function parseTimeout(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const match = TIMEOUT.exec(value.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : undefined;
}

/** `timeout` and `caFile` (DESIGN §4 additions for reliability): checked here, where positions are known. */
function readTransport(target: TargetConfig, entry: Record<string, unknown>, locator: DocumentLocator, diagnostics: Diagnostic[], configFile: string, cwd: string): void {
  const name = target.name;
  const timeoutMs = parseTimeout(entry['timeout']);
  if (timeoutMs !== undefined) {
    if (timeoutMs < TIMEOUT_RANGE_MS.min || timeoutMs > TIMEOUT_RANGE_MS.max) {
      diagnostics.push({
        severity: 'error',
        rule: 'config/timeout',
        message: `targets.${name}.timeout must be between 100ms and 10m, got ${JSON.stringify(entry['timeout'])}`,
        fix: 'write e.g. timeout: 30s',
        source: locator.locate(['targets', name, 'timeout']),
        target: name,
      });
    } else {
      target.timeoutMs = timeoutMs;
    }
  }
  const caFile = entry['caFile'];
  if (typeof caFile !== 'string' || caFile === '' || target.sandbox) return;
  const path = isAbsolute(caFile) ? caFile : resolve(dirname(configFile), caFile);
  const problem = (message: string, fix: string): void => {
    diagnostics.push({ severity: 'error', rule: 'config/ca-file', message: `targets.${name}.caFile: ${message}`, fix, source: locator.locate(['targets', name, 'caFile']), target: name });
  };
  // As written when absolute: a path outside the project reads worse as ../../../dev/zero.
  const shown = isAbsolute(caFile) ? caFile : displayPath(path, cwd);
  const read = readBounded(path);
  if (read.error !== undefined) return problem(`cannot read ${shown} (${read.error})`, 'point caFile at the PEM file of your private CA, relative to apiproducts.yaml');
  if (read.kind !== undefined) return problem(`${shown} is ${read.kind}, not a regular file`, 'point caFile at the PEM file of your private CA, relative to apiproducts.yaml');
  if (read.text === undefined) {
    return problem(`${shown} is larger than ${CA_FILE_MAX_BYTES / 1024 / 1024} MiB; a CA bundle is a few hundred KiB`, 'point caFile at the PEM file of your private CA, not at a whole certificate store');
  }
  if (!read.text.includes('-----BEGIN CERTIFICATE-----')) {
    return problem(`${shown} holds no PEM certificate (no -----BEGIN CERTIFICATE----- line)`, 'export the CA certificate in PEM format (openssl x509 -in ca.der -inform der -out ca.pem)');
  }
  target.caFile = path;
  target.ca = read.text;
}

/** The public roots Node bundles are ~220 KiB of PEM: a caFile above this is not a CA bundle. */
export const CA_FILE_MAX_BYTES = 1024 * 1024;

/**
 * The one read of a caFile: a regular file of at most CA_FILE_MAX_BYTES. Opened non-blocking and
 * checked on the open descriptor, so that a FIFO cannot hang the run and a device (/dev/zero) or a
 * file swapped after a check is never read without bound. `text` is absent when the file is too large.
 */
function readBounded(path: string): { error?: string; kind?: string; text?: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { kind: fileKind(stats) };
    if (stats.size > CA_FILE_MAX_BYTES) return {};
    // One byte more than the cap: a file that grew since fstat is still caught.
    const buffer = Buffer.alloc(CA_FILE_MAX_BYTES + 1);
    let size = 0;
    for (let n = 1; n > 0 && size < buffer.length; size += n) n = readSync(fd, buffer, size, buffer.length - size, null);
    return size > CA_FILE_MAX_BYTES ? {} : { text: buffer.subarray(0, size).toString('utf8') };
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** What a url may name: the management API over HTTP. ftp:, file:, data: and the rest are not one. */
function unsupportedScheme(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined; // the schema's format check reports unparsable URLs
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? undefined : parsed.protocol;
}

/** Loopback is exempt: nothing leaves the machine. */
function isPlainHttpToRemoteHost(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false; // the schema's format check reports unparsable URLs
  }
  return parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
