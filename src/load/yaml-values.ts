import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';
import { MAX_NESTING } from './yaml-limits.ts';

/**
 * The one source of values of every YAML document apiproducts reads (product files,
 * apiproducts.yaml, OpenAPI documents): js-yaml, with the scalars of YAML 1.2's core schema as
 * the `yaml` library resolves them, and `<<` merge keys. It reads 10,000 product files in about
 * 0.2 s where the `yaml` library takes 2.3 s (1.4 s for its token stream alone), which is what
 * keeps the pure stages of a 10,000-product plan under 3 s. The `yaml` library is still run on text
 * that is not plain (plain-yaml.ts), but only to refuse hostile input and to explain syntax errors
 * (yaml-check.ts) and to locate nodes; never for a value.
 *
 * `keepText`: also return the text as js-yaml holds it (`text`, equal to the input), to keep
 * instead of the input. js-yaml reads a copy of what it is given (with a NUL appended), and the
 * strings of the value are slices of that copy, which keep it alive: keeping the input as well
 * held every product file twice (about 65 MB at 100,000 products, and 90 MB of peak RSS).
 */
export function readYamlValue(text: string, keepText = false): YamlValue {
  let warned = false;
  let input: string | undefined;
  // js-yaml's `listener` option (not in its type definitions): called on every node, with its state.
  const listener = keepText ? (_event: string, state: { input: string }) => void (input ??= state.input) : undefined;
  try {
    const value: unknown = load(text, { ...VALUE_OPTIONS, onWarning: () => (warned = true), ...(listener ? { listener } : {}) } as never);
    const kept = input?.slice(0, text.length);
    return { value: value ?? null, warned, ...(kept === text ? { text: kept } : {}) };
  } catch (error) {
    const mark = (error as { mark?: { position?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error instanceof Error ? error.message : String(error));
    return { error: { message: reason, offset: Math.min(mark?.position ?? 0, text.length) } };
  }
}

/** A document's value (null when it is empty), or why js-yaml refused it and where (an offset in the text). */
export type YamlValue = { value: unknown; warned: boolean; text?: string } | { error: { message: string; offset: number } };

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

/** `<<: *shared`, as js-yaml's own merge type (not exported in its type definitions): a plain `<<` key only. */
const mergeType = new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (text: string) => text === '<<' });

/**
 * Short plain scalars (`published`, `public`, a team, a tier), one string each however many files
 * repeat them. V8 copies a substring shorter than 13 characters instead of pointing into the text,
 * so every product held its own copy of each: about 40 MB at 100,000 products, kept for the whole
 * run. Tried last, after every type that gives another value; the value itself is unchanged.
 */
const INTERNED_LENGTH = 12;
const INTERNED_MAX = 50_000;
const interned = new Map<string, string>();
const internType = new Type('tag:apiproducts.dev,2026:short-string', {
  kind: 'scalar',
  resolve: (text: unknown) => typeof text === 'string' && text.length <= INTERNED_LENGTH,
  construct: (text: string) => {
    const known = interned.get(text);
    if (known !== undefined) return known;
    // Bounded: a project of many distinct short values keeps the first ones, not every one.
    if (interned.size < INTERNED_MAX) interned.set(text, text);
    return text;
  },
});

/** The schema and limits of every read (maxDepth is an option of js-yaml 4.2+, not yet in its type definitions). */
export const VALUE_OPTIONS = {
  schema: FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType, mergeType, internType] }),
  maxDepth: MAX_NESTING + 1,
};
