import type { Document, Node, Pair, YAMLMap } from 'yaml';
import type { SourcePosition } from '../model/diagnostic.ts';
import { sequenceIndex, type DocumentLocator, type PathSegment } from '../model/positions.ts';
import { yamlLibrary } from './yaml-library.ts';

/**
 * One step down a path: the child node, where its value starts (undefined for an empty value,
 * `key:` with nothing after it), and where the key naming it starts (absent for list items).
 */
export interface PathStep<N> {
  node: N;
  valueOffset: number | undefined;
  keyOffset?: number;
}

/**
 * A locator over any tree of a document's nodes, given the root, where it starts, and how to take
 * one step: a path leads to its node, or to the nearest ancestor that exists; an empty value is
 * pointed at by its key. Every locator answers this way, whichever parser built the tree.
 */
/** What turns an offset into a 1-based line and column: the `yaml` library's LineCounter, or fast-locator.ts's table of line starts. */
export interface LinePositions {
  linePos(offset: number): { line: number; col: number };
}

export function pathLocator<N>(
  root: N,
  rootOffset: number,
  step: (node: N, segment: PathSegment) => PathStep<N> | undefined,
  lineCounter: LinePositions,
  file: string,
): DocumentLocator {
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const find = (path: readonly PathSegment[]): { valueOffset: number; keyOffset?: number } => {
    let node = root;
    let found: { valueOffset: number; keyOffset?: number } = { valueOffset: rootOffset };
    for (const segment of path) {
      const next = step(node, segment);
      if (!next) break; // nearest existing ancestor
      node = next.node;
      const valueOffset = next.valueOffset ?? next.keyOffset ?? found.valueOffset;
      found = next.keyOffset === undefined ? { valueOffset } : { valueOffset, keyOffset: next.keyOffset };
    }
    return found;
  };
  return {
    locate: (path) => at(find(path).valueOffset),
    locateKey: (path) => {
      const found = find(path);
      return at(found.keyOffset ?? found.valueOffset);
    },
  };
}

export function createLocator(doc: Document, lineCounter: LinePositions, file: string): DocumentLocator {
  // The document itself, when it has no content: its first character.
  const rootOffset = rangeStart(doc.contents) ?? doc.range?.[0] ?? 0;
  const { isAlias } = yamlLibrary();
  const step = (node: unknown, segment: PathSegment): PathStep<unknown> | undefined => {
    const found = child(isAlias(node) ? node.resolve(doc) : node, segment);
    if (!found) return undefined;
    // `key:` with no value has an empty value node just after the colon: point at the key instead.
    const valueOffset = isEmptyValue(found.value) ? undefined : rangeStart(found.value);
    return found.keyOffset === undefined ? { node: found.value, valueOffset } : { node: found.value, valueOffset, keyOffset: found.keyOffset };
  };
  return pathLocator<unknown>(doc.contents, rootOffset, step, lineCounter, file);
}

/**
 * Pairs of a mapping by key, built once per mapping: a file with 40,000 labels and an error on
 * each must not scan the mapping once per error (quadratic: minutes instead of milliseconds).
 */
const pairsByKey = new WeakMap<object, Map<string, Pair>>();

function pairOf(node: YAMLMap, key: string): Pair | undefined {
  const { isPair, isScalar } = yamlLibrary();
  let index = pairsByKey.get(node);
  if (!index) {
    index = new Map();
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const name = String(isScalar(item.key) ? item.key.value : item.key);
      if (!index.has(name)) index.set(name, item);
    }
    pairsByKey.set(node, index);
  }
  return index.get(key);
}

function child(node: unknown, segment: PathSegment): { value: unknown; keyOffset?: number } | undefined {
  const { isMap, isSeq } = yamlLibrary();
  if (isMap(node)) {
    const item = pairOf(node, String(segment));
    if (!item) return undefined;
    const keyOffset = rangeStart(item.key);
    return keyOffset === undefined ? { value: item.value } : { value: item.value, keyOffset };
  }
  if (isSeq(node)) {
    const item: unknown = node.items[sequenceIndex(segment)];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

function isEmptyValue(node: unknown): boolean {
  const { isScalar } = yamlLibrary();
  return node === null || node === undefined || (isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1]);
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const range = (node as Partial<Node>).range;
  return range ? range[0] : undefined;
}
