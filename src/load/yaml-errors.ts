import type { CST } from 'yaml';
import { walkTokens } from './yaml-limits.ts';

/** A YAML syntax error as the library reports it: a code, a message, a range in the text. */
export interface YamlProblem {
  code: string;
  message: string;
  pos: [number, number];
}

export interface Explained {
  message: string;
  fix?: string;
  /** Where the user must look, which is not always where the parser gave up. */
  offset: number;
}

/**
 * The parser notices an unclosed quote or bracket at the end of the file, and a misplaced key
 * at the value before it: the messages below point at the opening quote or bracket, and at the
 * line that is wrong, and say what to write. Other errors keep the parser's words.
 */
export function explainYamlError(problem: YamlProblem, tokens: readonly CST.Token[], content: string): Explained {
  const message = firstLine(problem.message);
  const offset = problem.pos[0];
  const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
  if (quote) {
    const open = unclosedQuote(tokens, quote);
    return {
      message: `the ${quote === '"' ? 'double' : 'single'}-quoted text that starts here is never closed`,
      fix: quote === '"' ? 'add the closing " (a " inside the text is written \\")' : "add the closing ' (a ' inside the text is written '')",
      offset: open ?? offset,
    };
  }
  const flow = /^Flow (map|sequence) in block collection must be sufficiently indented and end with an? ([\]}])/.exec(message);
  if (flow) {
    const bracket = flow[1] === 'map' ? '{' : '[';
    const close = flow[2] ?? '';
    const open = unclosedFlow(tokens);
    if (open !== undefined) {
      return { message: `the ${bracket} that starts here is never closed`, fix: `add the closing ${close} (entries inside ${bracket} ${close} are separated by commas)`, offset: open };
    }
    return { message, fix: `indent the lines inside ${bracket} ${close} more than the key they belong to`, offset };
  }
  switch (problem.code) {
    case 'TAB_AS_INDENT':
      return { message: 'a tab is used for indentation; YAML allows only spaces there', fix: 'indent with spaces (e.g. two per level)', offset };
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      const next = nextLineContent(content, offset);
      return {
        message: 'this line is indented more than the one above, whose key already has a value',
        fix: 'give keys of the same mapping the same indentation; to nest under a key, leave its value empty (key:) and indent the lines below',
        offset: next ?? offset,
      };
    }
    case 'BAD_DQ_ESCAPE':
      return { message, fix: 'in double quotes write a backslash as \\\\, or use single quotes, where \\ is an ordinary character', offset };
    default:
      break;
  }
  if (/^All mapping items must start at the same column/.test(message)) {
    return { message, fix: 'indent every key of this mapping by the same number of spaces', offset };
  }
  if (/^Missing , between flow/.test(message)) return { message, fix: 'separate the entries with a comma', offset };
  return { message, offset };
}

/** yaml's messages may end in " at line L, column C:" and an excerpt; the position is reported separately. */
export function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}

function unclosedQuote(tokens: readonly CST.Token[], quote: string): number | undefined {
  const type = quote === '"' ? 'double-quoted-scalar' : 'single-quoted-scalar';
  for (const token of walkTokens(tokens)) {
    if (token.type !== type) continue;
    const source = token.source;
    const closed = source.length >= 2 && source.endsWith(quote) && (quote === "'" || /(^|[^\\])(\\\\)*"$/.test(source.slice(1)));
    if (!closed) return token.offset;
  }
  return undefined;
}

function unclosedFlow(tokens: readonly CST.Token[]): number | undefined {
  for (const token of walkTokens(tokens)) {
    if (token.type !== 'flow-collection') continue;
    if (!token.end.some((t) => t.type === 'flow-map-end' || t.type === 'flow-seq-end')) return token.offset;
  }
  return undefined;
}

/** Offset of the first non-blank character on the line after `offset`. */
function nextLineContent(content: string, offset: number): number | undefined {
  const newline = content.indexOf('\n', offset);
  if (newline === -1) return undefined;
  const match = /[^ \t\r\n]/.exec(content.slice(newline + 1, newline + 1 + 10_000));
  return match ? newline + 1 + match.index : undefined;
}
