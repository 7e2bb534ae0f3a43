import { load, type State } from 'js-yaml';
import { yamlLibrary } from './yaml-library.ts';
import { VALUE_OPTIONS } from './yaml-values.ts';
import { sequenceIndex, type DocumentLocator, type PathSegment } from '../model/positions.ts';
import { createLocator, pathLocator, type LinePositions, type PathStep } from './locator.ts';

/**
 * The locator of a file the fast path read (plain-yaml.ts), with the full parser's answers
 * (positions.ts createLocator): a node starts at its first character (the quote, the `|`, the
 * first key, the `-`), an empty value at its key. The positions come from js-yaml's node events,
 * read again when a position is first asked for: only files with a problem or a change are, and
 * a plan that creates 10,000 products asks for every one (0.05 ms a file here, 0.2–0.4 ms with
 * the full parser). test/load/plain-yaml.test.ts compares both on every path of every text the
 * fast path accepts.
 */
export function createFastLocator(content: string, file: string): DocumentLocator {
  // Two closures and their context per file, nothing else: 100,000 files keep them all run long.
  const locator: DocumentLocator = {
    locate: (path) => located(locator, content, file).locate(path),
    locateKey: (path) => located(locator, content, file).locateKey(path),
  };
  return locator;
}

/** The tree locator of a file, built when a position is first asked for, and kept for a few files. */
function located(handle: DocumentLocator, content: string, file: string): DocumentLocator {
  let found = recent.get(handle);
  if (!found) {
    const root = buildTree(content);
    found = root ? treeLocator(root, content, file) : fullParserLocator(content, file);
    recent.set(handle, found);
    if (recent.size > RECENT_LOCATORS) recent.delete(recent.keys().next().value as object);
  }
  return found;
}

/** Locators are small, but kept for long they still reach V8's old generation: a few suffice (problems come file by file). */
const RECENT_LOCATORS = 4;
const recent = new Map<object, DocumentLocator>();

function treeLocator(root: TreeNode, content: string, file: string): DocumentLocator {
  const step = (node: TreeNode, segment: PathSegment): PathStep<TreeNode> | undefined => {
    if (node.pairs) {
      const pair = node.pairs.get(String(segment));
      return pair && { node: pair.node, valueOffset: pair.node.start, keyOffset: pair.keyOffset };
    }
    const item = node.items?.[sequenceIndex(segment)];
    return item && { node: item, valueOffset: item.start };
  };
  return pathLocator(root, root.start ?? 0, step, lineCounterOf(content), file);
}

/** For the shapes the events do not describe node by node (a `key: value` pair inside `[…]`). */
function fullParserLocator(content: string, file: string): DocumentLocator {
  const { LineCounter, parseDocument } = yamlLibrary();
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter, uniqueKeys: false, logLevel: 'silent', prettyErrors: false });
  return createLocator(doc, lineCounter, file);
}

/** A node: where it starts (undefined when empty), and its children. */
interface TreeNode {
  start: number | undefined;
  pairs?: Map<string, { keyOffset: number; node: TreeNode }>;
  items?: TreeNode[];
}

interface Frame {
  openedAt: number;
  children: { node: TreeNode; value: unknown }[];
}

/**
 * js-yaml opens a node before the space that precedes it and closes it after its last character.
 * A mapping's children are its keys and values in turn; a key it tried and gave up on (the end
 * of the mapping) is a last, odd child. A node tried as a mapping key that turned out to be the
 * value itself is the only child of the node it is: of a scalar, ignored; of a collection, taken
 * for it. Undefined when the children do not add up to the value: the full parser then locates.
 */
function buildTree(content: string): TreeNode | undefined {
  const frames: Frame[] = [];
  let root: TreeNode = { start: 0 };
  let consistent = true;
  const attach = (node: TreeNode, value: unknown): void => {
    const parent = frames.at(-1);
    if (parent) parent.children.push({ node, value });
    else root = node;
  };
  load(content, {
    ...VALUE_OPTIONS,
    listener(event: 'open' | 'close', state: State) {
      if (event === 'open') {
        frames.push({ openedAt: state.position, children: [] });
        return;
      }
      const frame = frames.pop() as Frame;
      const only = frame.children.length === 1 ? frame.children[0]! : undefined;
      if (only && typeof state.result === 'object' && state.result !== null && only.value === state.result) {
        // A collection tried as a mapping key that turned out to be this node's value: it is this node.
        attach(only.node, state.result);
        return;
      }
      const start = skipSeparation(content, frame.openedAt);
      // js-yaml reads a copy of the text with a line break added at the end: nothing there is content.
      const node: TreeNode = { start: start < state.position && start < content.length ? start : undefined };
      if (state.kind === 'mapping') {
        if (Math.floor(frame.children.length / 2) !== Object.keys(state.result as object).length) consistent = false;
        node.pairs = new Map();
        for (let i = 0; i + 1 < frame.children.length; i += 2) {
          const key = frame.children[i]!;
          const name = String(key.value);
          if (!node.pairs.has(name)) node.pairs.set(name, { keyOffset: key.node.start ?? 0, node: frame.children[i + 1]!.node });
        }
      } else if (state.kind === 'sequence') {
        if (frame.children.length !== (state.result as unknown[]).length) consistent = false;
        node.items = frame.children.map((child) => child.node);
      }
      attach(node, state.result);
    },
  });
  return consistent ? root : undefined;
}

/** Past spaces, tabs, line breaks and comments: where js-yaml starts reading a node. */
function skipSeparation(content: string, from: number): number {
  let i = from;
  while (i < content.length) {
    const c = content[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '#') {
      const end = content.indexOf('\n', i);
      i = end === -1 ? content.length : end;
    } else break;
  }
  return i;
}

/**
 * Lines counted as the full parser's lexer counts them (a line starts after each `\n`), and an
 * offset's line and column found as its LineCounter finds them, without loading the `yaml`
 * library for plain text (the first position of a run, apiproducts.yaml's, is asked before the
 * first request).
 */
function lineCounterOf(content: string): LinePositions {
  const starts = [0];
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', i + 1)) starts.push(i + 1);
  return {
    linePos(offset) {
      let low = 0;
      let high = starts.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (starts[mid]! < offset) low = mid + 1;
        else high = mid;
      }
      if (starts[low] === offset) return { line: low + 1, col: 1 };
      if (low === 0) return { line: 0, col: offset };
      return { line: low, col: offset - starts[low - 1]! + 1 };
    },
  };
}
