import type { Diagnostic } from '../model/diagnostic.ts';
import type { Locate } from '../model/product.ts';
import { fieldName } from './schema-messages.ts';

/**
 * `number/not-exact`: a number beyond 2^53 − 1 (9007199254740993, 1e308) is not kept exactly once
 * read, so a quota of 9007199254740993 would be sent as 9007199254740992 and 1e308 as whatever the
 * portal makes of it; no real limit is that large. Every number in a document, whatever field it
 * is in. Infinity and NaN are not here: no field is a fractional number, and the schema refuses them.
 */
export function checkNumbers(value: unknown, locate: Locate, path: string[] = []): Diagnostic[] {
  const found: Diagnostic[] = [];
  scanNumbers(value, [...path], locate, found);
  return found;
}

/** On one path that grows and shrinks (copied only for a finding): no garbage per value. */
function scanNumbers(value: unknown, path: string[], locate: Locate, found: Diagnostic[]): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) <= Number.MAX_SAFE_INTEGER) return;
    found.push({
      severity: 'error',
      rule: 'number/not-exact',
      message: `${fieldName(path) || 'the document'} is beyond ±9007199254740991 (2^53 − 1), the largest whole number that is kept exactly`,
      fix: 'write a smaller number: no limit needs to be that large (leave a limit out for no limit)',
      source: locate([...path]),
    });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      scanNumbers(value[i], path, locate, found);
      path.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      path.push(key);
      scanNumbers(record[key], path, locate, found);
      path.pop();
    }
  }
}
