import type { Diagnostic } from '../model/diagnostic.ts';

/**
 * Every value of a parsed document, depth first, for the checks that look at all of them whatever
 * field they are in (secrets, characters, numbers). On one path that grows and shrinks as the walk
 * goes: a copy per value was most of the garbage a 10,000-product validation made, so a visitor
 * that keeps `path` (for a finding) copies it.
 */
export interface DocumentVisitor {
  /** A value that is neither an array nor an object (null included), at `path`. */
  leaf?(value: unknown, path: readonly string[]): void;
  /** A key of the object at `path`, before its value is walked. */
  key?(key: string, path: readonly string[]): void;
}

/** A check that collects its findings as the walk goes (rules.ts secretLiteralFinder, characters.ts, numbers.ts). */
export interface Finder extends DocumentVisitor {
  found: Diagnostic[];
}

/**
 * One walk for several checks, each seeing every value in the order its own walk would (the
 * product checks walked each document three times). Their findings, in the order given.
 */
export function findAll(value: unknown, finders: readonly Finder[], path: string[] = []): Diagnostic[][] {
  walkDocument(value, {
    leaf: (leaf, at) => {
      for (const finder of finders) finder.leaf?.(leaf, at);
    },
    key: (key, at) => {
      for (const finder of finders) finder.key?.(key, at);
    },
  }, [...path]);
  return finders.map((finder) => finder.found);
}

export function walkDocument(value: unknown, visitor: DocumentVisitor, path: string[] = []): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      walkDocument(value[i], visitor, path);
      path.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      visitor.key?.(key, path);
      path.push(key);
      walkDocument(record[key], visitor, path);
      path.pop();
    }
  } else {
    visitor.leaf?.(value, path);
  }
}
