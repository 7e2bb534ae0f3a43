import { isMap, isPair, isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.ts';
import { createLocator, type DocumentLocator } from './positions.ts';

/** One YAML document of a file, parsed without errors and not empty. */
export interface ParsedDocument {
  value: unknown;
  locator: DocumentLocator;
  /** 0-based index of the document in its file (`---` separated). */
  index: number;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  /** Top-level keys of every document, even those with syntax errors (to recognise OpenAPI files). */
  topLevelKeys: string[];
  diagnostics: Diagnostic[];
}

/**
 * Parses every document of a file, keeping positions. Syntax errors and duplicate keys become
 * diagnostics (one line, no stack, no source excerpt); a document with errors is left out rather
 * than guessed at. `<<` merge keys are allowed: sharing one binding between targets is natural.
 */
export function parseYamlFile(content: string, file: string): ParsedFile {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(content, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: true });
  const docs: Document[] = Array.isArray(parsed) ? parsed : [];
  const diagnostics: Diagnostic[] = [];
  const documents: ParsedDocument[] = [];
  const topLevelKeys: string[] = [];
  docs.forEach((doc, index) => {
    if (isMap(doc.contents)) {
      for (const item of doc.contents.items) if (isPair(item) && isScalar(item.key)) topLevelKeys.push(String(item.key.value));
    }
    // After the first syntax error the parser's further complaints are mostly its own confusion
    // (an unclosed `[` also "unclosed" every enclosing `{`): report the first; duplicate keys are independent.
    const syntax = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY').slice(0, 1);
    const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
    for (const error of [...syntax, ...duplicates]) diagnostics.push(yamlDiagnostic(error, 'error', file, content));
    for (const warning of doc.warnings) diagnostics.push(yamlDiagnostic(warning, 'warning', file, content));
    if (doc.errors.length > 0) return;
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return; // comments only, or a stray `---`
    try {
      documents.push({ value: doc.toJS(), locator: createLocator(doc, lineCounter, file), index });
    } catch (error) {
      // e.g. "Excessive alias count": a billion-laughs document is refused, not expanded.
      const message = error instanceof Error ? error.message : String(error);
      const { line, col } = lineCounter.linePos(doc.range?.[0] ?? 0);
      diagnostics.push({ severity: 'error', rule: 'yaml/syntax', message: firstLine(message), source: { file, line, column: col } });
    }
  });
  return { documents, topLevelKeys, diagnostics };
}

interface YamlProblem {
  code: string;
  message: string;
  pos: [number, number];
  linePos?: [{ line: number; col: number }] | [{ line: number; col: number }, { line: number; col: number }];
}

function yamlDiagnostic(problem: YamlProblem, severity: 'error' | 'warning', file: string, content: string): Diagnostic {
  const start = problem.linePos?.[0] ?? { line: 1, col: 1 };
  const duplicate = problem.code === 'DUPLICATE_KEY';
  const diagnostic: Diagnostic = {
    severity,
    rule: duplicate ? 'yaml/duplicate-key' : severity === 'error' ? 'yaml/syntax' : 'yaml/warning',
    message: duplicate ? `key ${duplicateKey(content, problem.pos[0])}appears twice in the same mapping` : firstLine(problem.message),
    source: { file, line: start.line, column: start.col },
  };
  if (duplicate) diagnostic.fix = 'keep one of the two: YAML does not merge repeated keys';
  return diagnostic;
}

/** The repeated key's text, quoted and followed by a space, when it is a plain one-line key. */
function duplicateKey(content: string, offset: number): string {
  const key = /^["']?([^"'\n:{}[\],#]+?)["']?\s*:/.exec(content.slice(offset, offset + 200))?.[1];
  return key ? `"${key}" ` : '';
}

/** yaml's pretty messages end in " at line L, column C:" and an excerpt; the position is reported separately. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}
