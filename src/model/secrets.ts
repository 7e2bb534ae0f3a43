/**
 * Recognising credentials pasted into YAML: API tokens of the vendors apiproducts talks to, common
 * cloud and CI tokens, private keys, URLs with passwords, and random-looking strings. Only a label
 * ever leaves this module, never the text: messages name the kind of credential, not the value.
 * Every pattern runs in linear time on long input (a 1 MiB value must not hang the loader).
 */

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
  { label: 'a URL with an embedded password (https://user:…@host)', test: (s) => /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,30}:\/\/[^\s/:@]+:[^\s/@]+@/i.test(s) },
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
  if (text.length < SHORTEST_SECRET || !(hasTokenRun(text) || SECRET_PREFIX.test(text))) return undefined;
  return SECRET_SHAPES.find((shape) => shape.test(text))?.label;
}

/**
 * Something every shape above needs (a prefix, or a run of 32 token characters), tested before
 * any shape: almost every string of a product file is prose or a name, and this rules it out.
 * The prefixes are one regex; the run is counted by hand, since as a regex (`[…]{32}`) it retried
 * up to 31 characters at every position and took three times as long as both do now. Keep both
 * in step with SECRET_SHAPES.
 */
const SECRET_PREFIX = /a7(?:ee|adm|prt)-|-----BEGIN|eyJ|gh[pousr]_|github_pat_|AKIA|ya29\.|AIza|xox[abprs]-|Bearer|Basic|:\/\//;
const TOKEN_RUN = 32;
/** The characters of `[A-Za-z0-9+/=_-]`, by char code. */
const TOKEN_CHAR = (() => {
  const table = new Uint8Array(128);
  for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-') table[c.charCodeAt(0)] = 1;
  return table;
})();

/** Whether `text` holds TOKEN_RUN token characters in a row. */
function hasTokenRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128 && TOKEN_CHAR[code] === 1) {
      if (++run >= TOKEN_RUN) return true;
    } else {
      run = 0;
    }
  }
  return false;
}
/** `a://b:c@`: no credential is shorter. */
const SHORTEST_SECRET = 8;

/** Every string of a parsed document, keys included, that looks like a credential: what must never be echoed. */
export function collectSecrets(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (detectSecret(value)) found.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (detectSecret(key)) found.push(key);
      collectSecrets(item, found);
    }
  }
  return found;
}
