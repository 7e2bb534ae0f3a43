import { resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { ProductSet } from '../model/product.ts';
import type { Config } from '../model/target.ts';
import type { ProviderKind } from '../providers/provider.ts';
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

/**
 * Reads and validates the whole project, reporting everything at once; never throws for user
 * errors. When apiproducts.yaml is unusable, the checks that need targets (unknown target,
 * provider rules) are skipped, and the rest still run.
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
  const project: LoadedProject = { products: productsRead.products, files, diagnostics: sortDiagnostics(diagnostics) };
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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

