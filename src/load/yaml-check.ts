import type { CST, Document } from 'yaml';
import { yamlLibrary } from './yaml-library.ts';
import type { Diagnostic, SourcePosition } from '../model/diagnostic.ts';
import { showValue } from '../model/display.ts';
import type { DocumentLocator } from '../model/positions.ts';
import { createLocator } from './locator.ts';
import { explainYamlError, firstLine, type YamlProblem } from './yaml-errors.ts';
import { findExcessiveAliases, findExcessiveNesting, MAX_ALIAS_COUNT, MAX_NESTING, scanBlockNesting, scanFlowNesting, shortTag } from './yaml-limits.ts';

/** A document the check found nothing wrong with: where its text is, and the locator of its nodes. */
export interface CheckedDocument {
  /** 0-based index of the document in its file (`---` separated). */
  index: number;
  /** Offsets of the document's text: what js-yaml reads its value from. */
  start: number;
  end: number;
  locator: DocumentLocator;
}

export interface CheckedFile {
  documents: CheckedDocument[];
  /** A document has a top-level `openapi` or `swagger` key. Known even when the file has syntax errors. */
  apiDescription: boolean;
  diagnostics: Diagnostic[];
}

export const API_DESCRIPTION_KEYS = ['openapi', 'swagger'];

/**
 * The `yaml` library's verdict on a text that is not plain (plain-yaml.ts): syntax errors and
 * duplicate keys become diagnostics (one line, no stack, no source excerpt), and a document with
 * errors is left out rather than guessed at. `<<` merge keys are allowed: sharing one binding
 * between targets is natural. Hostile input is refused with a message, never expanded: nesting
 * deeper than MAX_NESTING, aliases expanding more than MAX_ALIAS_COUNT times ("billion laughs"),
 * and tags (`!!python/…`). No value is taken from here (yaml-values.ts gives them): the library
 * builds a document's value only to count its alias expansions, and the value is dropped.
 */
export function checkYaml(content: string, file: string): CheckedFile {
  const { Composer, isScalar, LineCounter, Parser } = yamlLibrary();
  const lineCounter = new LineCounter();
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const tooDeep = (offset: number, source: SourcePosition): Diagnostic => ({
    severity: 'error',
    rule: 'yaml/too-deep',
    message: `lists and mappings are nested more than ${MAX_NESTING} levels deep here; the file is not read further`,
    fix: 'look for unclosed or repeated [ and { (a product file needs a handful of levels)',
    source,
  });
  const early = scanFlowNesting(content) ?? scanBlockNesting(content);
  if (early !== undefined) return { documents: [], apiDescription: false, diagnostics: [tooDeep(early, positionIn(content, early, file))] };
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(content));
  const apiDescription = tokens.flatMap(topLevelKeysOf).some((key) => API_DESCRIPTION_KEYS.includes(key));
  const deep = findExcessiveNesting(tokens);
  if (deep !== undefined) return { documents: [], apiDescription, diagnostics: [tooDeep(deep, at(deep))] };
  for (const token of tokens) {
    const alias = token.type === 'document' ? findExcessiveAliases(token) : undefined;
    if (alias === undefined) continue;
    const diagnostic: Diagnostic = {
      severity: 'error',
      rule: 'yaml/alias-bomb',
      message: `a document uses more than ${MAX_ALIAS_COUNT} aliases (*name); the file is refused as a possible "billion laughs" attack`,
      fix: 'write the values out: a product file needs a few aliases at most (<<: *shared)',
      source: at(alias),
    };
    return { documents: [], apiDescription, diagnostics: [diagnostic] };
  }
  // Repeated keys are found below in linear time: the library's own check compares every key
  // with every other one (40,000 labels: 20 s).
  // logLevel: the library would otherwise print some warnings (a mapping used as a key) itself,
  // with the text of the file, straight to stderr.
  const docs: Document[] = Array.from(new Composer({ merge: true, uniqueKeys: false, logLevel: 'error' }).compose(tokens));
  const diagnostics: Diagnostic[] = [];
  const documents: CheckedDocument[] = [];
  const starts = tokens.filter((token) => token.type === 'document').map((token) => token.offset);
  docs.forEach((doc, index) => {
    // After the first syntax error the parser's further complaints are mostly its own confusion
    // (an unclosed `[` also "unclosed" every enclosing `{`): report the first; duplicate keys are independent.
    const syntax = doc.errors.slice(0, 1);
    const duplicates = findDuplicateKeys(doc);
    const tags = doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED');
    for (const error of syntax) {
      const explained = explainYamlError(error, tokens, content);
      const diagnostic: Diagnostic = { severity: 'error', rule: 'yaml/syntax', message: explained.message, source: at(explained.offset) };
      if (explained.fix) diagnostic.fix = explained.fix;
      diagnostics.push(diagnostic);
    }
    for (const duplicate of duplicates) {
      diagnostics.push({
        severity: 'error',
        rule: 'yaml/duplicate-key',
        message: `key ${showValue(duplicate.key, { identity: true })} appears twice in the same mapping`,
        fix: 'keep one of the two: YAML does not merge repeated keys',
        source: at(duplicate.offset),
      });
    }
    for (const warning of doc.warnings) diagnostics.push(yamlDiagnostic(warning, 'warning', at(warning.pos[0])));
    if (doc.errors.length > 0 || duplicates.length > 0 || tags.length > 0) return;
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return; // comments only, or a stray `---`
    try {
      doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      const start = starts[index] ?? doc.range?.[0] ?? 0;
      documents.push({ index, start, end: starts[index + 1] ?? content.length, locator: createLocator(doc, lineCounter, file) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/alias count/i.test(message)) {
        diagnostics.push({
          severity: 'error',
          rule: 'yaml/alias-bomb',
          message: `aliases (*name) in this document expand to more than ${MAX_ALIAS_COUNT} copies; it is refused as a possible "billion laughs" attack`,
          fix: 'write the values out, or use fewer aliases of aliases',
          source: at(firstAliasOffset(doc) ?? doc.range?.[0] ?? 0),
        });
      } else if (/^Unresolved alias/.test(message)) {
        const name = message.replace(/^.*:\s*/, '');
        diagnostics.push({
          severity: 'error',
          rule: 'yaml/unknown-alias',
          message: `alias ${showValue(`*${name}`, { identity: true })} refers to no anchor ${showValue(`&${name}`, { identity: true })} defined before it`,
          fix: `mark the value to repeat with &${name} above the alias, or write the value out`,
          source: at(firstAliasOffset(doc, name) ?? doc.range?.[0] ?? 0),
        });
      } else {
        diagnostics.push({ severity: 'error', rule: 'yaml/syntax', message: firstLine(message), source: at(doc.range?.[0] ?? 0) });
      }
    }
  });
  return { documents, apiDescription, diagnostics };
}

function yamlDiagnostic(problem: YamlProblem, severity: 'error' | 'warning', source: SourcePosition): Diagnostic {
  if (problem.code === 'TAG_RESOLVE_FAILED') {
    const tag = shortTag(problem.message.replace(/^Unresolved tag:\s*/, '').split(/\s/)[0] ?? '');
    return {
      severity: 'error',
      rule: 'yaml/unsupported-tag',
      message: `tag ${showValue(tag, { identity: true })} is not supported: these files hold plain values (text, numbers, true/false, lists, mappings)`,
      fix: 'remove the tag',
      source,
    };
  }
  return { severity, rule: severity === 'error' ? 'yaml/syntax' : 'yaml/warning', message: firstLine(problem.message), source };
}

/**
 * Keys repeated in one mapping, at the second occurrence. Compared as text, not as YAML values:
 * every value is read with its keys as strings (yaml-values.ts), so `1` and `"1"` (or `true` and
 * `"true"`) are one key there, and the last would silently win.
 */
function findDuplicateKeys(doc: Document): { key: string; offset: number }[] {
  const { isScalar, visit } = yamlLibrary();
  const found: { key: string; offset: number }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue; // a mapping or list as a key equals nothing else
        const key = String(pair.key.value);
        if (seen.has(key)) found.push({ key, offset: pair.key.range?.[0] ?? 0 });
        seen.add(key);
      }
    },
  });
  return found.sort((a, b) => a.offset - b.offset);
}

/** Line and column of an offset, counted by hand (where the library has not counted the lines). */
export function positionIn(content: string, offset: number, file: string): SourcePosition {
  const before = content.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { file, line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** Where the first alias (of `name`, when given) is. */
function firstAliasOffset(doc: Document, name?: string): number | undefined {
  const { isAlias, visit } = yamlLibrary();
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (!isAlias(node) || !node.range || (name !== undefined && node.source !== name)) return undefined;
      offset = node.range[0];
      return visit.BREAK;
    },
  });
  return offset;
}

/** Keys at the top of a document, read from the token stream (so also for documents not built). */
function topLevelKeysOf(token: CST.Token): string[] {
  const { CST } = yamlLibrary();
  if (token.type !== 'document' || !token.value) return [];
  const value = token.value;
  const isMapping = value.type === 'block-map' || (value.type === 'flow-collection' && value.start.source === '{');
  if (!isMapping) return []; // `[openapi: 3]` is a list, not an API description
  return value.items.flatMap((item) => {
    const key = item.key;
    if (!key || !CST.isScalar(key)) return [];
    const resolved = CST.resolveAsScalar(key, true, () => undefined); // errors are reported when the document is built
    return resolved ? [resolved.value] : [];
  });
}
