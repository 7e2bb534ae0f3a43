/** Load, then validate, the way the commands do (src/commands/project.ts), for tests that check the outcome of both. */
import { loadProject, type LoadProjectOptions } from '../../src/load/load-project.ts';
import { readConfig } from '../../src/load/read-config.ts';
import { readProducts } from '../../src/load/read-products.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { ProviderKind } from '../../src/providers/provider.ts';
import { checkConfig, type CheckedConfig } from '../../src/validate/config.ts';
import { checkProductDocuments } from '../../src/validate/product-documents.ts';
import { validateProject } from '../../src/validate/validate-project.ts';

export function loadAndValidate(options: LoadProjectOptions & { kinds: (kind: string) => ProviderKind | undefined }) {
  const loaded = loadProject(options);
  return { ...validateProject(loaded, options.kinds, options.cwd), files: loaded.files };
}

/** apiproducts.yaml read and checked: the problems of both, in the order found. */
export function readCheckedConfig(file: string, cwd: string): CheckedConfig {
  const read = readConfig(file, cwd);
  const checked = checkConfig(read, cwd);
  return { ...checked, diagnostics: [...read.diagnostics, ...checked.diagnostics] };
}

/** products/ read and each document checked: the problems of both, in the order found. */
export function readCheckedProducts(dir: string, cwd: string) {
  const read = readProducts(dir, cwd);
  const checked = checkProductDocuments(read.products);
  const diagnostics: Diagnostic[] = [...read.diagnostics, ...checked.diagnostics];
  return { products: { products: checked.products }, files: read.files, diagnostics };
}
