import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';
import { MAX_NESTING } from './yaml-limits.ts';

/**
 * The fast path of the loader. Nearly every product file is plain data: one document of
 * mappings, lists and scalars, with no anchors, aliases, tags, merge keys or directives. js-yaml
 * reads such a file about ten times faster than the `yaml` library (10,000 product files: 0.15 s
 * instead of 1.5 s), but the two differ at the edges (what `0b101` or `~:` means, which mistakes
 * are errors or warnings). So only text without those edges takes this path, with the scalars of
 * YAML 1.2's core schema exactly as the `yaml` library resolves them; anything else returns
 * undefined, and the full parser (parse-yaml.ts) reads the file and explains every problem.
 * test/load/plain-yaml.test.ts checks, on every fixture, that what this path accepts means the
 * same to both. Positions are not kept here: fast-locator.ts finds them when one is needed.
 */
export function readPlainYaml(content: string): { value: unknown } | undefined {
  // The layout first: it bounds lines and brackets, which keeps every pattern below linear.
  if (!plainLayout(content) || NOT_PLAIN.some((pattern) => pattern.test(content))) return undefined;
  let warned = false;
  let value: unknown;
  try {
    value = load(content, { ...PLAIN_LOAD_OPTIONS, onWarning: () => (warned = true) });
  } catch {
    return undefined; // a syntax error, a repeated key, several documents, nesting too deep
  }
  if (warned || depthOf(value) > MAX_NESTING) return undefined;
  return { value: value ?? null };
}

/**
 * Text the fast path leaves to the full parser: what plain data never needs, and every place
 * where the two parsers were found to differ (test/load/plain-yaml.test.ts). Each pattern may
 * also match inside a string (`**bold**` in a description): that costs a slower read of that
 * file, never a different result.
 */
const NOT_PLAIN: readonly RegExp[] = [
  /(?:^|[\s,[\]{}:])[&*][^\s,[\]{}]/, // an anchor or an alias
  /(?:^|[\s,[\]{}:])!/, // a tag, even the bare `!`
  /^%/m, // a directive
  /<</, // a merge key
  /(?:^|[\s,[{])\?(?:\s|$)/, // a complex key
  /(?:^|[\s,[{])(?:~|null|Null|NULL)[ \t]*:(?:\s|$)/, // a null key (the parsers name it differently)
  /(?:^|[\n,[{-])[ \t]*:(?:\s|$)/, // an empty key
  /(?:^|[\s,[{])[[{][^\n]*[\]}][ \t]*:(?:\s|$)/, // a list or mapping as a key (not `/users/{id}:`)
  /["'\]}]#/, // a comment touching a value (an error to one parser only)
  /^(?:---|\.\.\.)[^\r\n]*\S/m, // anything on the line of a document marker
  /[|>](?:[1-9]|[-+][1-9]|\+)/, // block scalar indentation indicators and keep chomping (`|2`, `|+`)
  /\\U/, // 8-digit escapes (the parsers disagree on those past U+10FFFF)
  /\r(?!\n)/, // a carriage return alone
  /^\uFEFF/, // a byte order mark
];

/**
 * What the patterns cannot see: a flow collection (`[…]`, `{…}`) spanning lines, which one
 * parser warns about; more brackets than MAX_NESTING, which the full parser's nesting pre-scan
 * may refuse even inside a string; a line over 1,024 characters, too long for a key to one parser.
 */
function plainLayout(content: string): boolean {
  let depth = 0;
  let brackets = 0;
  let lineStart = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth++;
      if (++brackets > MAX_NESTING) return false;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    } else if (c === 0x0a) {
      if (depth > 0 || i - lineStart > MAX_KEY_LINE) return false;
      lineStart = i + 1;
    }
  }
  return content.length - lineStart <= MAX_KEY_LINE;
}

/** The `yaml` library refuses implicit keys longer than this. */
const MAX_KEY_LINE = 1024;

/** Collections nested in collections: the full parser refuses more than MAX_NESTING. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return deepest;
}

// YAML 1.2 core schema scalars, with the `yaml` library's patterns (yaml/dist/schema/core).
const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (text: string) => /^(?:~|[Nn]ull|NULL)?$/.test(text),
  construct: () => null,
});
const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (text: string) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text),
  construct: (text: string) => text[0] === 't' || text[0] === 'T',
});
const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (text: string) => /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/.test(text),
  construct: (text: string) =>
    text.startsWith('0o') ? parseInt(text.slice(2), 8) : text.startsWith('0x') ? parseInt(text.slice(2), 16) : parseInt(text, 10),
});
const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (text: string) =>
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/.test(text),
  construct: (text: string) => {
    if (/nan$/i.test(text)) return Number.NaN;
    if (/inf$/i.test(text)) return text[0] === '-' ? -Infinity : Infinity;
    return parseFloat(text);
  },
});

/** The schema and limits of the fast path (maxDepth is an option of js-yaml 4.2+, not yet in its type definitions). */
export const PLAIN_LOAD_OPTIONS = { schema: FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] }), maxDepth: MAX_NESTING + 1 };
