import type { Diagnostic } from './diagnostic.ts';
import { canonicalJson } from './fingerprint.ts';
import { detectSecret } from './secrets.ts';

/**
 * How text the user wrote is shown back in diagnostics. Output goes to terminals and CI logs, so
 * it never carries a raw control character (an ESC could rewrite the screen, a U+202E reverse
 * what follows), and never a credential.
 */

/** Characters that are invisible or act on the display: control, format (bidi, zero-width), separators. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]|(?! )\p{Zs}/gu;
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/gu;

const NAMES: Record<number, string> = {
  0x00: 'NUL', 0x07: 'BELL', 0x08: 'BACKSPACE', 0x09: 'TAB', 0x0a: 'LINE FEED', 0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE', 0x7f: 'DELETE', 0x85: 'NEXT LINE', 0xa0: 'NO-BREAK SPACE', 0xad: 'SOFT HYPHEN',
  0x200b: 'ZERO WIDTH SPACE', 0x200c: 'ZERO WIDTH NON-JOINER', 0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK', 0x200f: 'RIGHT-TO-LEFT MARK', 0x2010: 'HYPHEN', 0x2011: 'NON-BREAKING HYPHEN',
  0x2013: 'EN DASH', 0x2014: 'EM DASH', 0x2028: 'LINE SEPARATOR', 0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING', 0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE', 0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE', 0x2067: 'RIGHT-TO-LEFT ISOLATE', 0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE', 0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

function escapeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16).toUpperCase()}}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `U+202E RIGHT-TO-LEFT OVERRIDE`: a character named so that it can be found in an editor. */
export function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const name = NAMES[code];
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}${name ? ` ${name}` : ''}`;
}

/**
 * The one escaper for text from outside (YAML, a live portal, a server's error body, a lock
 * record): invisible and control characters, newlines and tabs included, written as `\u001B`, so
 * such text stays on its line and cannot move the cursor, forge a `Plan:` line or start a GitHub
 * workflow command. Idempotent: its output is printable ASCII where it changed anything.
 */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** apiproducts' own colour codes (render/style.ts) and line breaks: the only controls output may carry. */
const OWN_CONTROLS = /\u001b\[[0-9;]*m|\n/y;

/**
 * The sink's guard (stdout and stderr of every command, every format): what `escapeText` escapes,
 * except our line breaks and SGR colour codes. Renderers escape each outside value, which is what
 * keeps a forged newline on its line; this catches any value a message forgot, so an ESC, CR or
 * bidi override never reaches a terminal raw. JSON stays the same value: a raw character can only
 * sit inside a string there, where `\u202E` means that character.
 */
export function guardOutput(text: string): string {
  return text.replace(UNSAFE, (char, offset: number) => {
    OWN_CONTROLS.lastIndex = offset;
    return OWN_CONTROLS.test(text) ? char : escapeChar(char);
  });
}

/**
 * A value the user wrote, quoted for a message: `"pay\u202Ements"`. Names, keys and paths (pass
 * `identity`) also get every non-ASCII character escaped, so that `sandbox‑api7` (a non-breaking
 * hyphen) does not look like `sandbox-api7`. Long values are cut; credentials are not shown.
 */
export function showValue(value: string, options: { identity?: boolean; max?: number } = {}): string {
  const secret = detectSecret(value);
  if (secret) return `(not shown: it looks like ${secret})`;
  const chars = [...value];
  const max = options.max ?? 64;
  const shown = chars.slice(0, max).join('');
  const escaped = options.identity ? shown.replace(NOT_PRINTABLE_ASCII, escapeChar) : escapeText(shown);
  return `"${escaped}${chars.length > max ? '…' : ''}"`;
}

/** The first character of `value` that `allowed` rejects, with its 1-based position. */
export function firstOffender(value: string, allowed: RegExp): { char: string; position: number } | undefined {
  const chars = [...value];
  const index = chars.findIndex((c) => !allowed.test(c));
  const char = chars[index];
  return char === undefined ? undefined : { char, position: index + 1 };
}

/** `"\u202E" (U+202E RIGHT-TO-LEFT OVERRIDE)`, or `"P"` for a visible character. */
export function showChar(char: string): string {
  const visible = /^[\x21-\x7e]$/.test(char);
  return visible ? `"${char}"` : char === ' ' ? 'a space' : `"${escapeChar(char)}" (${describeChar(char)})`;
}

/**
 * The last line of defence before output: every credential found in the input is cut out of
 * messages (a provider rule may quote a value), and control characters are escaped everywhere.
 */
export function sanitizeDiagnostic(diagnostic: Diagnostic, secrets: readonly string[] = []): Diagnostic {
  const clean = (text: string): string => escapeText(secrets.reduce((t, secret) => (secret.length >= 8 ? t.split(secret).join('(redacted)') : t), text));
  const sanitized: Diagnostic = { ...diagnostic, message: clean(diagnostic.message) };
  if (diagnostic.fix !== undefined) sanitized.fix = clean(diagnostic.fix);
  if (diagnostic.source) sanitized.source = { ...diagnostic.source, file: escapeText(diagnostic.source.file) };
  if (diagnostic.target !== undefined) sanitized.target = escapeText(diagnostic.target);
  if (diagnostic.product !== undefined) sanitized.product = escapeText(diagnostic.product);
  return sanitized;
}

/**
 * A short, single-line rendering of a field value: JSON, with long strings cut. JSON already
 * writes C0 controls as `\u001b`; the escaper adds what it leaves raw (bidi, U+2028, DEL, C1).
 */
export function formatValue(value: unknown, max = 100): string {
  if (value === undefined) return '(not set)';
  const text = escapeText(canonicalJson(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
