import type { Diagnostic } from '../model/diagnostic.ts';
import type { DocumentLocator } from '../model/positions.ts';
import { createFastLocator } from './fast-locator.ts';
import { readPlainYaml } from './plain-yaml.ts';
import { API_DESCRIPTION_KEYS, checkYaml, positionIn } from './yaml-check.ts';
import { readYamlValue } from './yaml-values.ts';

/** One YAML document of a file, parsed without errors and not empty. */
export interface ParsedDocument {
  value: unknown;
  locator: DocumentLocator;
  /** 0-based index of the document in its file (`---` separated). */
  index: number;
  /**
   * From the document cache (document-cache.ts): its own checks passed on this very text before.
   */
  fromCache?: true;
  /** A plain file's one document, not in the document cache: its key there, to be saved under once its checks pass. */
  cacheKey?: string;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  /**
   * A document has a top-level `openapi` or `swagger` key: the file is an API description, not a
   * product. Known even when the file has syntax errors.
   */
  apiDescription: boolean;
  diagnostics: Diagnostic[];
  /** The file's text as kept (plain path: js-yaml's own copy, which the values' strings point into). */
  text?: string;
}

/**
 * Every document of a file: values from js-yaml (yaml-values.ts), whatever the text. Plain text
 * (plain-yaml.ts, nearly every file) is read as it is; the rest is first checked by the `yaml`
 * library (yaml-check.ts), which refuses hostile input and explains every syntax error, and is
 * then read document by document. Positions are found when one is asked for.
 */
export function parseYamlFile(content: string, file: string): ParsedFile {
  const plain = readPlainYaml(content);
  if (!plain) return parseCheckedYaml(content, file);
  return parsedPlainFile(plain.value, plain.text ?? content, file);
}

/** A plain file (plain-yaml.ts) from its value and its text as kept, parsed now or cached. */
export function parsedPlainFile(value: unknown, text: string, file: string): ParsedFile {
  // `null`, `~` or nothing but comments: no document, as the check sees it.
  if (value === null) return { documents: [], apiDescription: false, diagnostics: [], text };
  return { documents: [{ value, locator: createFastLocator(text, file), index: 0 }], apiDescription: isApiDescription(value), diagnostics: [], text };
}

/** The check, then the values of the documents it passed: the path of text that is not plain. */
export function parseCheckedYaml(content: string, file: string): ParsedFile {
  const checked = checkYaml(content, file);
  const diagnostics = [...checked.diagnostics];
  const documents: ParsedDocument[] = [];
  for (const document of checked.documents) {
    const read = readYamlValue(content.slice(document.start, document.end));
    if ('error' in read) {
      // The two libraries disagree on this text: js-yaml's refusal, where it gave up.
      diagnostics.push({ severity: 'error', rule: 'yaml/syntax', message: read.error.message, source: positionIn(content, document.start + read.error.offset, file) });
    } else if (read.value !== null) {
      documents.push({ value: read.value, locator: document.locator, index: document.index });
    }
  }
  return { documents, apiDescription: checked.apiDescription, diagnostics };
}

function isApiDescription(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && API_DESCRIPTION_KEYS.some((key) => Object.hasOwn(value, key));
}
