import type { Diagnostic } from '../model/diagnostic.ts';
import type { Locate } from '../model/product.ts';
import { fieldName } from './schema-messages.ts';
import type { Finder } from './walk-document.ts';

/**
 * `number/not-exact`: a number beyond 2^53 − 1 (9007199254740993, 1e308) is not kept exactly once
 * read, so a quota of 9007199254740993 would be sent as 9007199254740992 and 1e308 as whatever the
 * portal makes of it; no real limit is that large. Every number in a document, whatever field it
 * is in. Infinity and NaN are not here: no field is a fractional number, and the schema refuses them.
 */
export function numberFinder(locate: Locate): Finder {
  const found: Diagnostic[] = [];
  return {
    found,
    leaf(number, at) {
      if (typeof number !== 'number' || !Number.isFinite(number) || Math.abs(number) <= Number.MAX_SAFE_INTEGER) return;
      found.push({
        severity: 'error',
        rule: 'number/not-exact',
        message: `${fieldName(at) || 'the document'} is beyond ±9007199254740991 (2^53 − 1), the largest whole number that is kept exactly`,
        fix: 'write a smaller number: no limit needs to be that large (leave a limit out for no limit)',
        source: locate([...at]),
      });
    },
  };
}
