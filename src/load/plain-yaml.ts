import { MAX_NESTING } from './yaml-limits.ts';
import { readYamlValue } from './yaml-values.ts';

/**
 * Plain text: one document of mappings, lists and scalars, with no anchors, aliases, tags, merge
 * keys or directives, and none of the shapes where the `yaml` library and js-yaml were found to
 * disagree on what is an error. Nearly every product file is plain. Its value comes from js-yaml
 * (yaml-values.ts), as the value of every other file does; what plainness saves is the `yaml`
 * library's check (yaml-check.ts, 2 s for 10,000 files), which has nothing to refuse or explain
 * in such text. test/load/plain-yaml.test.ts checks that on every fixture: what this accepts, the
 * check accepts too, with the same value and the same positions. Undefined: run the check.
 * `text`: the content as js-yaml holds it, to keep instead of `content` (yaml-values.ts).
 */
export function readPlainYaml(content: string): { value: unknown; text?: string } | undefined {
  // The layout first: it bounds lines and brackets, which keeps every pattern below linear.
  if (!plainLayout(content) || NOT_PLAIN.some((pattern) => pattern.test(content))) return undefined;
  const read = readYamlValue(content, true);
  // An error (a repeated key, several documents, nesting too deep) is explained by the check.
  if ('error' in read || read.warned || depthOf(read.value) > MAX_NESTING) return undefined;
  return read.text !== undefined ? { value: read.value, text: read.text } : { value: read.value };
}

/**
 * Text that is checked by the `yaml` library before its value is taken: what plain data never needs, and every place
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

/**
 * Collections nested in collections: the full parser refuses more than MAX_NESTING. A loop, not
 * recursion (block nesting is bounded by nothing but the file size); two parallel stacks of the
 * collections still to visit, not an object per value: this runs on every value of every file.
 */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > deepest) deepest = depth;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child === null || typeof child !== 'object') continue;
      nodes.push(child as object);
      depths.push(depth + 1);
    }
  }
  return deepest;
}
