import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';
import type { SourcePosition } from '../model/diagnostic.ts';
import type { DocumentLocator } from './positions.ts';
import { MAX_NESTING } from './yaml-limits.ts';

/** A node of a plain document: where it starts, as the full parser counts it, and its children. */
interface IndexedNode {
  /** Undefined for an empty value (`key:` with nothing after it). */
  start: number | undefined;
  pairs?: Map<string, { keyOffset: number; node: IndexedNode }>;
  items?: IndexedNode[];
}

interface FileIndex {
  root: IndexedNode;
  lineStarts: number[];
}

/**
 * The locator of a document read by the fast path (plain-yaml.ts), with the same answers as the
 * full parser's (positions.ts createLocator). Nothing is kept per file until a position is asked
 * for: the plan asks one per product, and 10,000 kept indexes would be tens of MB. The last few
 * indexes are cached, so that a file with thousands of problems is indexed once, not per problem.
 */
export function createEventLocator(content: string, file: string): DocumentLocator {
  const handle = {};
  const index = (): FileIndex => {
    const cached = recent.get(handle);
    if (cached) return cached;
    const built = buildIndex(content);
    recent.set(handle, built);
    if (recent.size > RECENT_INDEXES) recent.delete(recent.keys().next().value as object);
    return built;
  };
  const find = (path: readonly (string | number)[]): { valueOffset: number; keyOffset?: number; lineStarts: number[] } => {
    const { root, lineStarts } = index();
    let node = root;
    let found: { valueOffset: number; keyOffset?: number } = { valueOffset: root.start ?? 0 };
    for (const segment of path) {
      const step = childOf(node, segment);
      if (!step) break; // nearest existing ancestor
      node = step.node;
      const valueOffset = node.start ?? step.keyOffset ?? found.valueOffset;
      found = step.keyOffset === undefined ? { valueOffset } : { valueOffset, keyOffset: step.keyOffset };
    }
    return { ...found, lineStarts };
  };
  const at = (offset: number, lineStarts: number[]): SourcePosition => ({ file, ...linePosition(offset, lineStarts) });
  return {
    locate: (path) => {
      const found = find(path);
      return at(found.valueOffset, found.lineStarts);
    },
    locateKey: (path) => {
      const found = find(path);
      return at(found.keyOffset ?? found.valueOffset, found.lineStarts);
    },
  };
}

const RECENT_INDEXES = 8;
const recent = new Map<object, FileIndex>();

function childOf(node: IndexedNode, segment: string | number): { node: IndexedNode; keyOffset?: number } | undefined {
  if (node.pairs) return node.pairs.get(String(segment));
  if (node.items) {
    const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
    const item = node.items[index];
    return item ? { node: item } : undefined;
  }
  return undefined;
}

/** Only called for text the fast path accepted: one plain document. */
function buildIndex(content: string): FileIndex {
  const events = parseEvents(content, { maxDepth: MAX_NESTING });
  const stack: { node: IndexedNode; pendingKey?: { key: string; offset: number } }[] = [];
  let root: IndexedNode = { start: 0 };
  let lastEnd = 0;
  const attach = (node: IndexedNode, keyEvent?: ScalarEvent): boolean => {
    const parent = stack.at(-1);
    if (!parent) {
      root = node;
      return false;
    }
    if (parent.node.items) {
      parent.node.items.push(node);
      return false;
    }
    if (!parent.pendingKey) {
      if (keyEvent) parent.pendingKey = { key: getScalarValue(content, keyEvent), offset: scalarStart(keyEvent, content, lastEnd) ?? 0 };
      return true;
    }
    const { key, offset } = parent.pendingKey;
    delete parent.pendingKey;
    if (!parent.node.pairs?.has(key)) parent.node.pairs?.set(key, { keyOffset: offset, node });
    return false;
  };
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT || event.type === EVENT_ID.ALIAS) continue;
    if (event.type === EVENT_ID.POP) {
      stack.pop();
      continue;
    }
    if (event.type === EVENT_ID.SCALAR) {
      const node: IndexedNode = { start: scalarStart(event, content, lastEnd) };
      attach(node, event);
      if (event.valueEnd !== -1) lastEnd = event.valueEnd;
      continue;
    }
    const node: IndexedNode = event.type === EVENT_ID.MAPPING ? { start: event.start, pairs: new Map() } : { start: event.start, items: [] };
    attach(node);
    lastEnd = event.start + 1;
    stack.push({ node });
  }
  return { root, lineStarts: lineStartsOf(content) };
}

/**
 * Where the full parser says a scalar starts: at the opening quote of a quoted one, at the `|`
 * or `>` of a block one (the events point at the text itself). Undefined when it is empty.
 */
function scalarStart(event: ScalarEvent, content: string, searchFrom: number): number | undefined {
  if (event.valueStart === -1) return undefined;
  switch (event.style) {
    case SCALAR_STYLE.SINGLE_QUOTED:
    case SCALAR_STYLE.DOUBLE_QUOTED:
      return event.valueStart - 1;
    case SCALAR_STYLE.LITERAL_BLOCK:
    case SCALAR_STYLE.FOLDED_BLOCK:
      return blockIndicator(content, searchFrom, event.valueStart);
    default:
      return event.valueStart;
  }
}

/** The first `|` or `>` after the previous node, skipping comments. */
function blockIndicator(content: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = content[i];
    if (c === '|' || c === '>') return i;
    if (c === '#' && (i === 0 || /\s/.test(content[i - 1] ?? ''))) {
      const end = content.indexOf('\n', i);
      if (end === -1) break;
      i = end;
    }
  }
  return to;
}

function lineStartsOf(content: string): number[] {
  const starts = [0];
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column, counted as the full parser's LineCounter does. */
function linePosition(offset: number, lineStarts: readonly number[]): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offset < (lineStarts[mid] ?? 0)) high = mid;
    else low = mid + 1;
  }
  return { line: low, column: offset - (lineStarts[low - 1] ?? 0) + 1 };
}
