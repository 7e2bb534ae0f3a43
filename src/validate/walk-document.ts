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
