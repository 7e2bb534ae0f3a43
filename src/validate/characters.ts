import type { Diagnostic } from '../model/diagnostic.ts';
import type { Locate } from '../model/product.ts';
import { describeChar, escapeText, showValue } from '../model/display.ts';
import { fieldName } from './schema-messages.ts';
import { detectSecret } from '../model/secrets.ts';
import { findAll, type Finder } from './walk-document.ts';

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
  return findAll(value, [characterFinder(locate, locateKey)], path)[0]!;
}

/** checkCharacters as one of the checks of a shared walk (walk-document.ts findAll). */
export function characterFinder(locate: Locate, locateKey: Locate = locate): Finder {
  const found: Diagnostic[] = [];
  return {
    found,
    leaf(text, at) {
      const problem = typeof text === 'string' ? checkString(text, locate, at) : undefined;
      if (problem) found.push(problem);
    },
    key(key, at) {
      const invisible = at.at(-1) === 'labels' ? INVISIBLE.exec(key) : null;
      if (!invisible) return;
      found.push({
        severity: 'error',
        rule: 'text/invisible-character',
        message: `label key ${showValue(key, { identity: true })} in ${fieldName(at)} contains ${describeChar(invisible[0])}, an invisible character`,
        fix: 'retype the key with plain characters: labels that look the same must be the same',
        source: locateKey([...at, key]),
      });
    },
  };
}

/** The first control or direction character of a string, as a diagnostic; undefined for clean text (nearly all). */
function checkString(value: string, locate: Locate, path: readonly string[]): Diagnostic | undefined {
  const control = CONTROL.exec(value);
  const bidi = control ? null : BIDI.exec(value);
  if (!control && !bidi) return undefined;
  const field = fieldName(path) || 'the document';
  if (control) {
    return {
      severity: 'error',
      rule: 'text/control-character',
      message: `${field} contains the control character ${describeChar(control[0])} at character ${charIndex(value, control.index)}${excerpt(value, control.index)}`,
      fix: 'remove it: only tabs and line breaks are allowed in text',
      source: locate([...path]),
    };
  }
  const found = bidi as RegExpExecArray;
  return {
    severity: 'error',
    rule: 'text/bidi-control',
    message: `${field} contains ${describeChar(found[0])} at character ${charIndex(value, found.index)}${excerpt(value, found.index)}, which makes text display in another order than it is stored`,
    fix: 'remove it: right-to-left text displays correctly without direction overrides',
    source: locate([...path]),
  };
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
