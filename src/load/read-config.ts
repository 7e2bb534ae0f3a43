import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Diagnostic, SourcePosition } from '../model/diagnostic.ts';
import type { Config, TargetConfig } from '../model/target.ts';
import { checkSecretLiterals } from '../validate/rules.ts';
import { validateSchema } from '../validate/schema.ts';
import { parseYamlFile } from './parse-yaml.ts';
import type { DocumentLocator } from './positions.ts';

export const CONFIG_DEFAULTS = { prune: false, concurrency: 8 } as const;

export interface ReadConfigResult {
  /**
   * Present when the file parsed and matches the schema (its shape can be trusted), even if
   * other checks (insecure url, missing url) failed; absent otherwise.
   */
  config?: Config;
  diagnostics: Diagnostic[];
  /** The file's text, when it could be read: part of the config digest. */
  content?: string;
}

/** `a/b.yaml` relative to cwd with forward slashes: the one spelling used in every diagnostic. */
export function displayPath(absolutePath: string, cwd: string): string {
  return relative(cwd, absolutePath).split(sep).join('/') || '.';
}

/** Reads and checks `apiproducts.yaml` (DESIGN §4); every problem is reported, nothing thrown. */
export function readConfig(file: string, cwd: string): ReadConfigResult {
  const absolute = isAbsolute(file) ? file : resolve(cwd, file);
  const shown = displayPath(absolute, cwd);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    return {
      diagnostics: [
        {
          severity: 'error',
          rule: 'config/missing',
          message: `${shown} not found`,
          fix: `run in the directory that holds apiproducts.yaml, or point at the file with --config FILE`,
        },
      ],
    };
  }
  const content = readFileSync(absolute, 'utf8');
  const parsed = parseYamlFile(content, shown);
  const diagnostics = [...parsed.diagnostics];
  const document = parsed.documents[0];
  if (parsed.documents.length > 1) {
    diagnostics.push({
      severity: 'error',
      rule: 'config/multiple-documents',
      message: `${shown} must hold one YAML document, found ${parsed.documents.length}`,
      fix: 'remove the extra `---` separators and merge the documents',
      source: parsed.documents[1]?.locator.locate([]) ?? { file: shown, line: 1, column: 1 },
    });
  }
  if (!document) {
    if (parsed.diagnostics.length === 0) {
      diagnostics.push({ severity: 'error', rule: 'config/empty', message: `${shown} is empty`, fix: 'declare at least one target under `targets:`', source: { file: shown, line: 1, column: 1 } });
    }
    return { diagnostics, content };
  }
  const secrets = checkSecretLiterals(document.value, document.locator.locate);
  const schema = validateSchema('targets', document.value, document.locator);
  // A token written into tokenEnv also fails its pattern; the secret message is the useful one.
  const secretAt = new Set(secrets.map((d) => positionKey(d.source)));
  diagnostics.push(...secrets, ...schema.diagnostics.filter((d) => !secretAt.has(positionKey(d.source))));
  // The url checks run even when the schema failed, so that every problem shows in one run.
  const raw = document.value as { targets?: unknown; prune?: boolean; concurrency?: number };
  const entries = isRecord(raw) && isRecord(raw.targets) ? Object.entries(raw.targets) : [];
  const targets = entries.flatMap(([name, entry]) => (isRecord(entry) ? [buildTarget(name, entry, document.locator, diagnostics)] : []));
  if (!schema.valid || parsed.diagnostics.some((d) => d.severity === 'error')) return { diagnostics, content };

  const config: Config = {
    file: shown,
    targets,
    prune: raw.prune ?? CONFIG_DEFAULTS.prune,
    concurrency: raw.concurrency ?? CONFIG_DEFAULTS.concurrency,
  };
  return { config, diagnostics, content };
}

function buildTarget(name: string, entry: Record<string, unknown>, locator: DocumentLocator, diagnostics: Diagnostic[]): TargetConfig {
  const sandbox = entry['sandbox'] === true;
  const insecure = entry['insecure'] === true;
  const url = typeof entry['url'] === 'string' ? entry['url'] : undefined;
  const target: TargetConfig = {
    name,
    provider: String(entry['provider']),
    sandbox,
    insecure,
    ignore: Array.isArray(entry['ignore']) ? entry['ignore'].map(String) : [],
    settings: entry,
    source: locator.locateKey(['targets', name]),
  };
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

/** Loopback (localhost, 127.0.0.0/8, ::1) is exempt: nothing leaves the machine. */
function isPlainHttpToRemoteHost(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false; // the schema's format check reports unparsable URLs
  }
  if (parsed.protocol !== 'http:') return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function positionKey(source: SourcePosition | undefined): string {
  return source ? `${source.file}:${source.line}:${source.column}` : '';
}
