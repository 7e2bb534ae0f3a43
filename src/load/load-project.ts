import { resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import { displayPath, readConfig, type ReadConfigResult } from './read-config.ts';
import type { DocumentCache } from './document-cache.ts';
import { readPolicies, type LoadedPolicyFile } from './read-policies.ts';
import { readProducts, readProductsPausing, type LoadedProductFile, type ProjectFile, type ReadProductsResult } from './read-products.ts';

export interface LoadProjectOptions {
  cwd: string;
  /** Default `apiproducts.yaml`, relative to cwd. */
  configPath?: string;
  /** Default `products`, relative to cwd. */
  productsDir?: string;
  /** apiproducts.yaml as already read (readConfig of configPath), when the caller needed it first. */
  config?: ReadConfigResult;
  /** Read product files through the project's document cache (document-cache.ts); default true. */
  cache?: boolean;
}

/**
 * What the loader hands to validation: every document with its locator, and every file the
 * products refer to, each read once. Nothing here is checked beyond being readable YAML.
 */
export interface LoadedProject {
  /** apiproducts.yaml: its document, when it could be read and parsed. */
  config: ReadConfigResult;
  /** Every product file with its documents and the files they refer to, in path order. */
  products: LoadedProductFile[];
  /** `policies/*.yaml` beside apiproducts.yaml, in path order (the directory is optional). */
  policies: LoadedPolicyFile[];
  /** apiproducts.yaml, every policy file and every product file, sorted by path: the input of the config digest. */
  files: ProjectFile[];
  /** Problems of reading and parsing (validation adds its own, then sorts them all). */
  diagnostics: Diagnostic[];
  /** The document cache the product files were read through, to save what passed its checks. */
  cache?: DocumentCache;
}

/** Reads the whole project; never throws for user errors. Validation (src/validate/) comes next. */
export function loadProject(options: LoadProjectOptions): LoadedProject {
  const config = options.config ?? readConfig(options.configPath ?? 'apiproducts.yaml', options.cwd);
  return assemble(options, config, readProducts(options.productsDir ?? 'products', options.cwd, { cache: options.cache !== false }));
}

/** loadProject, giving the event loop a turn whenever `pause` says so (readProductsPausing). */
export async function loadProjectPausing(options: LoadProjectOptions, pause: () => Promise<void> | undefined): Promise<LoadedProject> {
  const config = options.config ?? readConfig(options.configPath ?? 'apiproducts.yaml', options.cwd);
  return assemble(options, config, await readProductsPausing(options.productsDir ?? 'products', options.cwd, pause, { cache: options.cache !== false }));
}

function assemble(options: LoadProjectOptions, config: ReadConfigResult, productsRead: ReadProductsResult): LoadedProject {
  const policiesRead = readPolicies(config.absolutePath, options.cwd);
  const files = [...productsRead.files, ...policiesRead.files];
  const configPath = displayPath(resolve(options.cwd, options.configPath ?? 'apiproducts.yaml'), options.cwd);
  if (config.content !== undefined) files.push({ path: configPath, content: config.content });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const diagnostics = [...config.diagnostics, ...policiesRead.diagnostics, ...productsRead.diagnostics];
  return { config, products: productsRead.products, policies: policiesRead.policies, files, diagnostics, ...(productsRead.cache ? { cache: productsRead.cache } : {}) };
}
