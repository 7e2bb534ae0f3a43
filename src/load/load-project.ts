import { resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { ProductSet } from '../model/product.ts';
import type { Config } from '../model/target.ts';
import type { ProviderKind } from '../providers/provider.ts';
import { sanitizeDiagnostic } from '../model/display.ts';
import { checkDuplicateNames } from '../validate/rules.ts';
import { validateProject } from '../validate/validate-project.ts';
import { displayPath, readConfig } from './read-config.ts';
import { readProducts, type ProjectFile } from './read-products.ts';

export interface LoadProjectOptions {
  cwd: string;
  /** Default `apiproducts.yaml`, relative to cwd. */
  configPath?: string;
  /** Default `products`, relative to cwd. */
  productsDir?: string;
  kinds: (kind: string) => ProviderKind | undefined;
}

export interface LoadedProject {
  /** Absent when apiproducts.yaml is missing or does not match its schema. */
  config?: Config;
  /** Schema-valid product documents only; use them only when `diagnostics` has no errors. */
  products: ProductSet;
  /** apiproducts.yaml and every product file, sorted by path: the input of the config digest. */
  files: ProjectFile[];
  /** Every problem in every file, sorted by file, line, column (file-less ones first). */
  diagnostics: Diagnostic[];
}

/** More problems than this in one file are summed up in one line: the first ones are what to fix. */
export const MAX_DIAGNOSTICS_PER_FILE = 20;

/**
 * Reads and validates the whole project, reporting everything at once; never throws for user
 * errors. When apiproducts.yaml is unusable, the checks that need targets (unknown target,
 * provider rules) are skipped, and the rest still run. Whatever a rule wrote, what leaves here
 * holds no raw control character and no credential found in the input.
 */
export function loadProject(options: LoadProjectOptions): LoadedProject {
  const configRead = readConfig(options.configPath ?? 'apiproducts.yaml', options.cwd);
  const productsRead = readProducts(options.productsDir ?? 'products', options.cwd);
  const diagnostics = [...configRead.diagnostics, ...productsRead.diagnostics];
  const files = [...productsRead.files];
  const configPath = displayPath(resolve(options.cwd, options.configPath ?? 'apiproducts.yaml'), options.cwd);
  if (configRead.content !== undefined) files.push({ path: configPath, content: configRead.content });
  files.sort((a, b) => compare(a.path, b.path));
  if (configRead.config) diagnostics.push(...validateProject(configRead.config, productsRead.products, options.kinds));
  else diagnostics.push(...checkDuplicateNames(productsRead.products.products));
  const secrets = [...(configRead.secrets ?? []), ...productsRead.secrets].sort((a, b) => b.length - a.length);
  const sanitized = diagnostics.map((d) => sanitizeDiagnostic(d, secrets));
  const project: LoadedProject = { products: productsRead.products, files, diagnostics: capPerFile(sortDiagnostics(sanitized)) };
  if (configRead.config) project.config = configRead.config;
  return project;
}

/** Stable: diagnostics at the same position keep the order in which they were found. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const x = a.d.source;
      const y = b.d.source;
      if (!x || !y) return (x ? 1 : 0) - (y ? 1 : 0) || a.i - b.i;
      return compare(x.file, y.file) || x.line - y.line || x.column - y.column || a.i - b.i;
    })
    .map(({ d }) => d);
}

/**
 * Sorted diagnostics, with the ones past MAX_DIAGNOSTICS_PER_FILE in a file replaced by one line
 * that counts them (an error if any of them is one, so that the outcome does not change).
 */
function capPerFile(sorted: readonly Diagnostic[]): Diagnostic[] {
  const hidden = new Map<string, Diagnostic[]>();
  const seen = new Map<string, number>();
  for (const d of sorted) {
    if (!d.source) continue;
    const n = (seen.get(d.source.file) ?? 0) + 1;
    seen.set(d.source.file, n);
    if (n <= MAX_DIAGNOSTICS_PER_FILE) continue;
    const list = hidden.get(d.source.file) ?? [];
    list.push(d);
    hidden.set(d.source.file, list);
  }
  const shown = new Map<string, number>();
  const kept: Diagnostic[] = [];
  for (const d of sorted) {
    if (!d.source) {
      kept.push(d);
      continue;
    }
    const n = (shown.get(d.source.file) ?? 0) + 1;
    shown.set(d.source.file, n);
    if (n <= MAX_DIAGNOSTICS_PER_FILE) kept.push(d);
    if (n !== MAX_DIAGNOSTICS_PER_FILE + 1) continue;
    const rest = hidden.get(d.source.file) ?? [];
    kept.push({
      severity: rest.some((h) => h.severity === 'error') ? 'error' : 'warning',
      rule: 'report/truncated',
      message: `${rest.length} more problem${rest.length === 1 ? '' : 's'} in this file from here on ${rest.length === 1 ? 'is' : 'are'} not shown`,
      fix: 'fix the problems above and run again',
      source: d.source,
    });
  }
  return kept;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

