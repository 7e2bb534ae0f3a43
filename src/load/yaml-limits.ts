import type { CST } from 'yaml';

/**
 * Limits that keep hostile YAML from exhausting the process. The YAML library builds documents
 * recursively, so 10,000 nested `[` overflow the stack (with a message that depends on the
 * stack size); the concrete syntax tree it parses first is built without recursion, so nesting
 * is measured there, before anything is built. A product file needs about 6 levels (targets,
 * binding, services, entry, hosts); an OpenAPI document rarely 30.
 */
export const MAX_NESTING = 64;

/** At most this many alias expansions (`*name`) per document: `<<: *shared` a few times is plenty. */
export const MAX_ALIAS_COUNT = 100;

/**
 * Offset of the first collection (in document order) nested deeper than `max` levels in a parsed
 * token stream, if any. Iterative: an explicit stack, popped in document order.
 */
export function findExcessiveNesting(tokens: readonly CST.Token[], max = MAX_NESTING): number | undefined {
  const stack: { token: CST.Token | null | undefined; depth: number }[] = tokens.map((token) => ({ token, depth: 0 })).reverse();
  while (stack.length > 0) {
    const { token, depth } = stack.pop() as { token: CST.Token | null | undefined; depth: number };
    if (!token) continue;
    switch (token.type) {
      case 'document':
        stack.push({ token: token.value, depth });
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (depth + 1 > max) return token.offset;
        for (const item of [...token.items].reverse()) {
          stack.push({ token: item.value, depth: depth + 1 }, { token: item.key, depth: depth + 1 });
        }
        break;
      default:
        break;
    }
  }
  return undefined;
}

/** `tag:yaml.org,2002:python/object` → `!!python/object`: the tag as the user wrote it. */
export function shortTag(tag: string): string {
  return tag.replace(/^tag:yaml\.org,2002:/, '!!');
}

/** Every token of a parsed stream, in document order, without recursion (keys before values). */
export function* walkTokens(tokens: readonly CST.Token[]): Generator<CST.Token> {
  const stack: (CST.Token | null | undefined)[] = [...tokens].reverse();
  while (stack.length > 0) {
    const token = stack.pop();
    if (!token) continue;
    yield token;
    if (token.type === 'document') stack.push(token.value);
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      for (const item of [...token.items].reverse()) stack.push(item.value, item.key);
    }
  }
}

/**
 * Offset of the alias (`*name`) past `max` in one document's tokens, if any. The library resolves
 * each alias by scanning the document, so 50,000 aliases of one short value take minutes to build
 * although they expand to little; real files use a handful (`<<: *shared`).
 */
export function findExcessiveAliases(document: CST.Token, max = MAX_ALIAS_COUNT): number | undefined {
  let count = 0;
  for (const token of walkTokens([document])) {
    if (token.type === 'alias' && ++count > max) return token.offset;
  }
  return undefined;
}

/**
 * A linear pre-scan for `[` and `{` nested more than `max` deep, before the tokens are parsed:
 * parsing 512 KiB of `[` takes seconds, this takes milliseconds. Quoted text and comments are
 * skipped; flow depth alone is a lower bound of the nesting, so nothing it flags is a false alarm
 * (short of a plain value holding 65 unbalanced brackets). Returns the offset of the first bracket too deep.
 */
export function scanFlowNesting(content: string, max = MAX_NESTING): number | undefined {
  let depth = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    const prev = i === 0 ? '\n' : content[i - 1];
    const tokenStart = prev === '\n' || prev === ' ' || prev === '\t' || prev === '[' || prev === '{' || prev === ',' || prev === ':';
    if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    } else if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) {
      const end = content.indexOf('\n', i);
      i = end === -1 ? content.length : end;
    } else if (c === '"' && tokenStart) {
      for (i++; i < content.length && content[i] !== '"'; i++) if (content[i] === '\\') i++;
    } else if (c === "'" && tokenStart) {
      for (i++; i < content.length; i++) {
        if (content[i] !== "'") continue;
        if (content[i + 1] === "'") i++;
        else break;
      }
    }
  }
  return undefined;
}

/**
 * A linear pre-scan for block collections (indentation and `- ` / `? ` indicators) nested more than
 * `max` deep, before the tokens are parsed: the `yaml` library's parser pops the levels of a block
 * collection recursively, so 2,500 nested `- ` followed by a dedent overflow the stack. The depth
 * counted is the number of distinct, increasing columns at which lines start a key or a list
 * item, plus each compact indicator on the line: a lower bound of the real nesting (a key and a list at the same
 * column count once), so nothing it flags is a false alarm (short of 65 ever deeper continuation
 * lines of one multi-line string). Block scalar bodies (`|`, `>`) are skipped. Returns the offset
 * of the first content too deep.
 */
/**
 * A plain or quoted key followed by `: ` (a mapping entry), at the start of the text. Linear: no
 * two quantifiers can take the same characters. A key with `:` inside is not recognised, which
 * only lowers the count.
 */
const BLOCK_KEY = /^(?:"[^"]*"|'[^']*'|[^\s#'"\-?[{:][^#:]*|[-?][^\s#:][^#:]*):(?:[ \t]|$)/;

export function scanBlockNesting(content: string, max = MAX_NESTING): number | undefined {
  const columns: number[] = [];
  let scalarIndent = -1; // inside a block scalar body: lines indented more than this
  let lineStart = 0;
  while (lineStart < content.length) {
    const newline = content.indexOf('\n', lineStart);
    const end = newline === -1 ? content.length : newline;
    const line = content.slice(lineStart, end);
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === '' || line.trimStart().startsWith('#');
    if (scalarIndent >= 0 && (blank || indent > scalarIndent)) {
      lineStart = end + 1;
      continue;
    }
    scalarIndent = -1;
    if (/^(?:---|\.\.\.)(?:\s|$)/.test(line)) columns.length = 0;
    else if (!blank) {
      let column = indent;
      for (;;) {
        while (columns.length > 0 && (columns.at(-1) as number) >= column) columns.pop();
        const rest = line.slice(column);
        const indicator = /^[-?](?: +|$)/.exec(rest);
        // Only a list item or a key opens a collection here; a scalar (`x`, a continued string) does not.
        if (!indicator && !BLOCK_KEY.test(rest)) break;
        columns.push(column);
        if (columns.length > max) return lineStart + column;
        if (!indicator || column + indicator[0].length >= line.length) break;
        column += indicator[0].length;
      }
      if (/(?:^|[\s:-])[|>][-+1-9]*\s*(?:#.*)?$/.test(line)) scalarIndent = indent;
    }
    lineStart = end + 1;
  }
  return undefined;
}
