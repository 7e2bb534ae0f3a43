import type { Diagnostic } from '../model/diagnostic.ts';
import type { Locate } from '../model/product.ts';
import { describeChar, escapeText, showValue } from '../model/display.ts';
import { fieldName } from './schema-messages.ts';
import { detectSecret } from '../model/secrets.ts';

/**
 * Characters that have no business in product metadata, wherever they are written:
 * - `text/control-character`: C0/C1 control characters (NUL, BELL, ESC, …) in any string value;
 *   tab and line breaks are allowed (descriptions are Markdown). An ESC sequence in a description
 *   would also reach every terminal that prints a plan.
 * - `text/bidi-control`: direction overrides and isolates (U+202A-202E, U+2066-2069) in any string:
 *   they make text display in another order than it is stored ("Trojan Source").
 * - `text/invisible-character`: in label keys (free-form identities a portal filters on), any
 *   control, format (zero-width) or non-ASCII space character: `team` and `te\u200Bam` would be
 *   two labels that look the same.
 * Names (product, plan, target) have their own pattern, whose message shows the character.
 */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/u;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/u;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

export function checkCharacters(value: unknown, locate: Locate, locateKey: Locate = locate, path: string[] = []): Diagnostic[] {
  if (typeof value === 'string') return checkString(value, locate, path);
  if (Array.isArray(value)) return value.flatMap((item, i) => checkCharacters(item, locate, locateKey, [...path, String(i)]));
  if (value === null || typeof value !== 'object') return [];
  const diagnostics: Diagnostic[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (path.at(-1) === 'labels') {
      const found = INVISIBLE.exec(key);
      if (found) {
        diagnostics.push({
          severity: 'error',
          rule: 'text/invisible-character',
          message: `label key ${showValue(key, { identity: true })} in ${fieldName(path)} contains ${describeChar(found[0])}, an invisible character`,
          fix: 'retype the key with plain characters: labels that look the same must be the same',
          source: locateKey([...path, key]),
        });
      }
    }
    diagnostics.push(...checkCharacters(item, locate, locateKey, [...path, key]));
  }
  return diagnostics;
}

function checkString(value: string, locate: Locate, path: string[]): Diagnostic[] {
  const field = fieldName(path) || 'the document';
  const control = CONTROL.exec(value);
  if (control) {
    return [
      {
        severity: 'error',
        rule: 'text/control-character',
        message: `${field} contains the control character ${describeChar(control[0])} at character ${charIndex(value, control.index)}${excerpt(value, control.index)}`,
        fix: 'remove it: only tabs and line breaks are allowed in text',
        source: locate(path),
      },
    ];
  }
  const bidi = BIDI.exec(value);
  if (bidi) {
    return [
      {
        severity: 'error',
        rule: 'text/bidi-control',
        message: `${field} contains ${describeChar(bidi[0])} at character ${charIndex(value, bidi.index)}${excerpt(value, bidi.index)}, which makes text display in another order than it is stored`,
        fix: 'remove it: right-to-left text displays correctly without direction overrides',
        source: locate(path),
      },
    ];
  }
  return [];
}

/** 1-based position in characters (code points), as an editor counts them. */
function charIndex(value: string, offset: number): number {
  return [...value.slice(0, offset)].length + 1;
}

/** ` ("line\u0007bell")`: a short escaped excerpt around the character; nothing for a credential. */
function excerpt(value: string, offset: number): string {
  if (detectSecret(value)) return '';
  const start = Math.max(0, offset - 20);
  const end = Math.min(value.length, offset + 20);
  return ` ("${start > 0 ? '…' : ''}${escapeText(value.slice(start, end))}${end < value.length ? '…' : ''}")`;
}
