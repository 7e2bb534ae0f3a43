import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import { parseYamlFile, type ParsedDocument } from './parse-yaml.ts';
import { displayPath } from './read-config.ts';
import type { ProjectFile } from './read-products.ts';
import { readTextFile } from './read-text.ts';

/** The directory of policy files, next to apiproducts.yaml (docs/policies.md). */
export const POLICIES_DIRECTORY = 'policies';

/** One `policies/*.yaml` file and its one document, not validated yet. */
export interface LoadedPolicyFile {
  /** Relative to the working directory, as shown in diagnostics. */
  file: string;
  document: ParsedDocument;
}

export interface ReadPoliciesResult {
  policies: LoadedPolicyFile[];
  /** Every policy file read, for the config digest: a policy change is a config change. */
  files: ProjectFile[];
  diagnostics: Diagnostic[];
}

const ONLY_YAML_FIX = `${POLICIES_DIRECTORY}/ holds only policy files (*.yaml, *.yml); move it elsewhere (a name starting with . or ending in .md is left alone)`;

/**
 * Reads `policies/*.yaml` beside the config file, in name order; none is fine (the directory is
 * optional). Every entry is a policy file or an error: a typo such as `auth.yml.bak` must not
 * silently switch a rule off. Symbolic links are refused, not followed, so a policy cannot come
 * from outside the repository.
 */
export function readPolicies(configPath: string, cwd: string): ReadPoliciesResult {
  const dir = join(dirname(configPath), POLICIES_DIRECTORY);
  const result: ReadPoliciesResult = { policies: [], files: [], diagnostics: [] };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return result;
  const names = readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    if (name.startsWith('.') || /\.md$/i.test(name)) continue;
    const path = join(dir, name);
    const file = displayPath(path, cwd);
    const refuse = (rule: string, message: string, fix: string) =>
      result.diagnostics.push({ severity: 'error', rule, message, fix, source: { file, line: 1, column: 1 } });
    const entry = lstatSync(path);
    if (entry.isSymbolicLink()) {
      refuse('policies/link', 'the policy file is a symbolic link, which is not followed; it was not read', 'copy the policy file into policies/');
      continue;
    }
    if (!entry.isFile() || !/\.ya?ml$/i.test(name)) {
      refuse('policies/unknown-file', `${entry.isDirectory() ? 'a directory' : 'this file'} is not a policy file; it was not read`, ONLY_YAML_FIX);
      continue;
    }
    const text = readTextFile(path, file, 'a policy file', 'split it into several policy files');
    result.diagnostics.push(...text.diagnostics);
    if (text.content === undefined) continue;
    result.files.push({ path: file, content: text.content });
    const parsed = parseYamlFile(text.content, file);
    result.diagnostics.push(...parsed.diagnostics);
    const [document, extra] = parsed.documents;
    if (extra) {
      result.diagnostics.push({
        severity: 'error',
        rule: 'policies/multiple-documents',
        message: `a policy file holds one YAML document, found ${parsed.documents.length}`,
        fix: 'remove the extra `---` separators and merge the documents, or split them into several files',
        source: extra.locator.locate([]),
      });
    }
    if (document) result.policies.push({ file, document });
  }
  return result;
}
