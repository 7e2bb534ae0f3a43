import { existsSync, statSync } from 'node:fs';
import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import { showValue } from '../model/display.ts';
import { parseYamlFile, type ParsedDocument } from './parse-yaml.ts';
import { readTextFile } from './read-text.ts';

export interface ReadConfigResult {
  /** As shown in diagnostics, relative to the working directory. */
  file: string;
  absolutePath: string;
  /** Its one document, when the file could be read and parsed; validation makes a Config of it. */
  document?: ParsedDocument;
  /** Problems of reading and parsing: the file, its text, its YAML, several documents. */
  diagnostics: Diagnostic[];
  /** The file's text, when it could be read: part of the config digest. */
  content?: string;
}

/** `a/b.yaml` relative to cwd with forward slashes: the one spelling used in every diagnostic. */
export function displayPath(absolutePath: string, cwd: string): string {
  // A normalized path under a normalized cwd: what follows the cwd is path.relative's answer, which
  // resolves both paths on every call (about 35 ms of loading 10,000 files).
  const under = normalizedPrefix(cwd);
  if (under !== undefined && absolutePath.startsWith(under)) {
    const rest = absolutePath.slice(under.length);
    if (rest !== '' && !UNNORMALIZED.test(rest)) return sep === '/' ? rest : rest.split(sep).join('/');
  }
  return relative(cwd, absolutePath).split(sep).join('/') || '.';
}

/** A `.` or `..` segment, or an empty one (a doubled or trailing separator): path.relative would normalize it. */
const UNNORMALIZED = /(?:^|[\\/])\.{1,2}(?:[\\/]|$)|[\\/](?:[\\/]|$)|^[\\/]/;

let lastCwd: string | undefined;
let lastPrefix: string | undefined;

/** `cwd` and a separator when cwd is absolute and normalized (the usual case: it was resolved), else undefined. */
function normalizedPrefix(cwd: string): string | undefined {
  if (cwd !== lastCwd) {
    lastCwd = cwd;
    lastPrefix = isAbsolute(cwd) && normalize(cwd) === cwd ? (cwd.endsWith(sep) ? cwd : cwd + sep) : undefined;
  }
  return lastPrefix;
}

/** Reads and parses `apiproducts.yaml` (DESIGN §4); every problem is reported, nothing thrown. */
export function readConfig(file: string, cwd: string): ReadConfigResult {
  const absolute = isAbsolute(file) ? file : resolve(cwd, file);
  const shown = displayPath(absolute, cwd);
  if (existsSync(absolute) && statSync(absolute).isDirectory()) {
    return {
      file: shown,
      absolutePath: absolute,
      diagnostics: [
        {
          severity: 'error',
          rule: 'config/not-a-file',
          message: `${showValue(shown, { identity: true })} is a directory, not a configuration file`,
          fix: `point --config at the YAML file itself, e.g. --config ${shown === '.' ? '' : `${shown}/`}apiproducts.yaml`,
        },
      ],
    };
  }
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    return {
      file: shown,
      absolutePath: absolute,
      diagnostics: [
        {
          severity: 'error',
          rule: 'config/missing',
          message: `${shown} not found`,
          fix: `run in the directory that holds apiproducts.yaml, or point at the file with --config FILE`,
        },
      ],
    };
  }
  const text = readTextFile(absolute, shown, 'apiproducts.yaml', 'apiproducts.yaml holds only targets and settings: remove what does not belong there');
  const content = text.content;
  if (content === undefined) return { file: shown, absolutePath: absolute, diagnostics: text.diagnostics };
  const parsed = parseYamlFile(content, shown);
  const diagnostics = [...parsed.diagnostics];
  const document = parsed.documents[0];
  if (parsed.documents.length > 1) {
    diagnostics.push({
      severity: 'error',
      rule: 'config/multiple-documents',
      message: `${shown} must hold one YAML document, found ${parsed.documents.length}`,
      fix: 'remove the extra `---` separators and merge the documents',
      source: parsed.documents[1]?.locator.locate([]) ?? { file: shown, line: 1, column: 1 },
    });
  }
  if (!document) {
    if (parsed.diagnostics.length === 0) {
      diagnostics.push({ severity: 'error', rule: 'config/empty', message: `${shown} is empty`, fix: 'declare at least one target under `targets:`', source: { file: shown, line: 1, column: 1 } });
    }
    return { file: shown, absolutePath: absolute, diagnostics, content };
  }
  return { file: shown, absolutePath: absolute, document, diagnostics, content };
}
