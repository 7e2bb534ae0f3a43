import type { SourcePosition } from './diagnostic.ts';
import type { Locate } from './product.ts';

/**
 * Where things are in one YAML document: what the loader hands to validation with every
 * document, so that a rule can point at the line to change. Pure: the loader builds locators
 * (src/load/locator.ts), everything else only asks them.
 */
export interface DocumentLocator {
  /** The node at `path` (its value), or the nearest ancestor that exists. */
  locate: Locate;
  /**
   * The KEY of the last path segment, e.g. `['targets','sandbox','visiblity']` points at
   * `visiblity:` itself: that is what is wrong for an unknown field, not its value.
   */
  locateKey: Locate;
}

export type PathSegment = string | number;

/** The list index a path segment names, or -1 (ajv's pointers give indexes as strings). */
export function sequenceIndex(segment: PathSegment): number {
  return typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
}

/** `/targets/sandbox-api7/services/0` (a JSON pointer, as ajv reports it) → path segments. */
export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * ProductSource (a model contract) has only `locate`; the loader also attaches `locateKey`.
 * Rules that point at a key use this, and fall back to the value for sources built elsewhere.
 */
export function locateKeyOf(source: { locate: Locate; locateKey?: Locate }, path: readonly PathSegment[]): SourcePosition {
  return (source.locateKey ?? source.locate)(path);
}
