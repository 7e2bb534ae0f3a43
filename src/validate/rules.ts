import type { Diagnostic } from '../model/diagnostic.ts';
import type { Locate, ProductSource } from '../model/product.ts';
import type { Config } from '../model/target.ts';
import { locateKeyOf } from '../load/positions.ts';
import { fieldName } from './schema-messages.ts';
import { suggestNearest } from './suggest.ts';

/**
 * Cross-file rules: what no single file's schema can see. Each returns every problem it finds,
 * with a position in the file that must change.
 */

/** `product/duplicate-name`: two documents define the same product; both are reported. */
export function checkDuplicateNames(products: readonly ProductSource[]): Diagnostic[] {
  const byName = new Map<string, ProductSource[]>();
  for (const product of products) byName.set(product.spec.name, [...(byName.get(product.spec.name) ?? []), product]);
  const diagnostics: Diagnostic[] = [];
  for (const [name, sources] of byName) {
    if (sources.length < 2) continue;
    for (const source of sources) {
      const others = sources.filter((s) => s !== source).map((s) => where(s.locate(['name'])));
      diagnostics.push({
        severity: 'error',
        rule: 'product/duplicate-name',
        message: `product "${name}" is also defined at ${others.join(', ')}`,
        fix: 'product names are identities on every target: rename one of them or remove the duplicate',
        source: source.locate(['name']),
        product: name,
      });
    }
  }
  return diagnostics;
}

/** `product/unknown-target`: a binding block names a target that apiproducts.yaml does not define. */
export function checkUnknownTargets(products: readonly ProductSource[], config: Config): Diagnostic[] {
  const known = config.targets.map((t) => t.name);
  const diagnostics: Diagnostic[] = [];
  for (const product of products) {
    for (const target of Object.keys(product.spec.targets)) {
      if (known.includes(target)) continue;
      const near = suggestNearest(target, known);
      const list = known.length ? `known targets: ${known.join(', ')}` : `${config.file} defines no targets`;
      diagnostics.push({
        severity: 'error',
        rule: 'product/unknown-target',
        message: `target "${target}" is not defined in ${config.file}`,
        fix: near ? `did you mean "${near}"? (${list})` : `use a target defined in ${config.file} or add it there (${list})`,
        source: locateKeyOf(product, ['targets', target]),
        product: product.spec.name,
        target,
      });
    }
  }
  return diagnostics;
}

function where(p: { file: string; line: number; column: number }): string {
  return `${p.file}:${p.line}:${p.column}`;
}

/** A kind of credential, how to recognise it, and how to name it without showing it. */
interface SecretShape {
  label: string;
  test: (text: string) => boolean;
}

const SECRET_SHAPES: SecretShape[] = [
  { label: 'an API7 token (a7ee-…)', test: (s) => /(?<![A-Za-z0-9])a7ee-[A-Za-z0-9_-]{16,}/.test(s) },
  { label: 'an API7 admin token (a7adm-…)', test: (s) => /(?<![A-Za-z0-9])a7adm-[A-Za-z0-9_-]{16,}/.test(s) },
  { label: 'an API7 portal token (a7prt-…)', test: (s) => /(?<![A-Za-z0-9])a7prt-[A-Za-z0-9_-]{16,}/.test(s) },
  { label: 'a private key (-----BEGIN … PRIVATE KEY-----)', test: (s) => /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----/.test(s) },
  { label: 'a JSON Web Token (eyJ…)', test: (s) => /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}/.test(s) },
  { label: 'a GitHub token (ghp_…)', test: (s) => /(?<![A-Za-z0-9])(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/.test(s) },
  { label: 'an AWS access key id (AKIA…)', test: (s) => /(?<![A-Z0-9])AKIA[0-9A-Z]{16}(?![A-Z0-9])/.test(s) },
  { label: 'a Google OAuth access token (ya29.…)', test: (s) => /(?<![A-Za-z0-9])ya29\.[A-Za-z0-9_-]{20,}/.test(s) },
  { label: 'a Google API key (AIza…)', test: (s) => /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/.test(s) },
  { label: 'a Slack token (xox…-)', test: (s) => /(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}/.test(s) },
  { label: 'a bearer token (Bearer …)', test: (s) => [...s.matchAll(/\bBearer\s+([A-Za-z0-9._~+/-]+=*)/g)].some((m) => tokenLike(m[1] ?? '', 16)) },
  { label: 'HTTP basic credentials (Basic …)', test: (s) => [...s.matchAll(/\bBasic\s+([A-Za-z0-9+/]{8,}={0,2})/g)].some((m) => isBasicCredential(m[1] ?? '')) },
  { label: 'a URL with an embedded password (https://user:…@host)', test: (s) => /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i.test(s) },
  { label: 'a high-entropy string (an API key or token?)', test: hasRandomLookingRun },
];

/** `Bearer authentication` is prose; `Bearer 9f8a…` is a credential: a token has digits or symbols. */
function tokenLike(token: string, minLength: number): boolean {
  return token.length >= minLength && /[0-9._~+/=-]/.test(token) && /[A-Za-z]/.test(token);
}

/** `Basic dXNlcjpwYXNz` decodes to `user:pass`; `Basic authentication` decodes to noise. */
function isBasicCredential(encoded: string): boolean {
  const decoded = Buffer.from(encoded, 'base64').toString('latin1');
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `sha256:…`, `image@sha256:…`: a digest written as a digest is an id, not a secret. */
const DIGEST_PREFIX = /(?:sha1|sha256|sha384|sha512|md5):$/i;

/**
 * Runs of 32+ base64/hex characters that look random. Runs are cut at spaces, dots, colons and
 * the like, so URLs and paths break into short pieces. Not flagged: UUIDs, identifiers made of
 * words (`PaymentsServiceImplementationV2`, `payments-gold-production-europe-west1`), digests
 * written with their algorithm prefix. A bare 32+ character hex string IS flagged (hex API keys
 * are common), which includes a git commit hash pasted into a description: write it shorter.
 */
function hasRandomLookingRun(text: string): boolean {
  for (const match of text.matchAll(/[A-Za-z0-9+/=_-]{32,}/g)) {
    const run = match[0];
    if (UUID.test(run) || DIGEST_PREFIX.test(text.slice(0, match.index))) continue;
    const hex = /^[0-9a-fA-F]+$/.test(run);
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(run)).length;
    if (classes < 2) continue;
    if (wordiness(run) >= 0.6) continue;
    if (shannonEntropy(run) >= (hex ? 3.0 : 3.5)) return true;
  }
  return false;
}

/**
 * Share of the characters that belong to words of 3+ letters (`Payments`, `organizations`): most
 * of an identifier or path, a small part of random base64 (where letters rarely run 3 lower-case).
 */
function wordiness(run: string): number {
  const words = run.match(/[A-Z]?[a-z]{3,}/g) ?? [];
  return words.reduce((sum, word) => sum + word.length, 0) / run.length;
}

function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) entropy -= (n / text.length) * Math.log2(n / text.length);
  return entropy;
}

/** What a string looks like a credential of, or undefined. The string itself is never returned. */
export function detectSecret(text: string): string | undefined {
  return SECRET_SHAPES.find((shape) => shape.test(text))?.label;
}

/**
 * `secret/literal`: every string value in a parsed document (product file or apiproducts.yaml),
 * whatever field it is in, even fields the schema rejects. Runs on raw documents at load time, so
 * a secret is reported even in a file with other errors. Messages name the field, never the value.
 */
export function checkSecretLiterals(value: unknown, locate: Locate, path: string[] = []): Diagnostic[] {
  if (typeof value === 'string') {
    const label = detectSecret(value);
    if (!label) return [];
    const field = fieldName(path) || 'the document';
    const envField = /(token|username|password)Env$/.exec(path.at(-1) ?? '')?.[0];
    return [
      {
        severity: 'error',
        rule: 'secret/literal',
        message: envField
          ? `${field} contains what looks like ${label}; ${envField} must hold the NAME of an environment variable, not the credential`
          : `${field} contains what looks like ${label}; credentials must come from an environment variable named by tokenEnv`,
        fix: envField
          ? `remove the value, revoke it (it may already be in Git history), export it as e.g. API7_TOKEN and write ${envField}: API7_TOKEN`
          : 'remove the value and revoke it (it may already be in Git history); targets read credentials from the environment variable named by tokenEnv in apiproducts.yaml',
        source: locate(path),
      },
    ];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => checkSecretLiterals(item, locate, [...path, String(i)]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => checkSecretLiterals(item, locate, [...path, key]));
  }
  return [];
}
