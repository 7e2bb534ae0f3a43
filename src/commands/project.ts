import { createHash } from 'node:crypto';
import { hasErrors, UserError, type Diagnostic } from '../model/diagnostic.ts';
import type { ProductSet } from '../model/product.ts';
import { suggestNearest } from '../validate/suggest.ts';
import type { Config, TargetConfig } from '../model/target.ts';
import { loadProject } from '../load/load-project.ts';
import { validateProject } from '../validate/validate-project.ts';
import { getProviderKind } from '../registry.ts';

/** Options every command that reads the project accepts. */
export interface ProjectOptions {
  cwd: string;
  /** `--chdir` as typed, for the next-step hints (cwd is it resolved). */
  chdir?: string;
  config?: string;
  products?: string;
  /** `--target`: narrow the run to these targets; empty = all. */
  targets: string[];
  /** `--product` on plan, apply and drift: narrow the run to these Git products; empty or absent = all. */
  only?: string[];
}

/** A loaded project with no errors, narrowed to the targets the run is about. */
export interface ValidProject {
  config: Config;
  products: ProductSet;
  targets: TargetConfig[];
  /** Warnings only: errors stop the run before this exists. */
  warnings: Diagnostic[];
  /** sha-256 over apiproducts.yaml and every product file, in path order. */
  digest: string;
  /**
   * `--product`: the Git products the run is about. Live objects of other products are out of
   * scope (neither orphans nor unmanaged), like Terraform's `-target`.
   */
  only?: ReadonlySet<string>;
}

/** Loads, then validates everything; any error becomes one UserError listing all of them. */
export function loadValidProject(options: ProjectOptions): ValidProject {
  const loaded = loadProject({ cwd: options.cwd, configPath: options.config, productsDir: options.products });
  const validated = validateProject(loaded, getProviderKind, options.cwd);
  if (!validated.config || hasErrors(validated.diagnostics)) {
    const count = validated.diagnostics.filter((d) => d.severity === 'error').length;
    throw new UserError(`validation failed with ${count} error${count === 1 ? '' : 's'}`, validated.diagnostics);
  }
  const config = validated.config;
  const unknown = options.targets.filter((name) => !config.targets.some((t) => t.name === name));
  if (unknown.length) {
    throw new UserError(
      `unknown target ${unknown.map((n) => `"${n}"`).join(', ')} in --target; ${config.file} defines: ${config.targets.map((t) => t.name).join(', ')}`,
    );
  }
  const targets = options.targets.length ? config.targets.filter((t) => options.targets.includes(t.name)) : config.targets;
  const only = narrowProducts(validated.products, options.only ?? []);
  const hash = createHash('sha256');
  for (const file of [...loaded.files].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`${file.path}\n${file.content}\n`);
  return {
    config,
    products: only ? { products: validated.products.products.filter((source) => only.has(source.spec.name)) } : validated.products,
    targets,
    warnings: validated.diagnostics,
    digest: 'sha256:' + hash.digest('hex'),
    ...(only ? { only } : {}),
  };
}

/** `--product NAME…` checked against Git: an unknown name is an error naming the nearest one. */
function narrowProducts(products: ProductSet, names: readonly string[]): ReadonlySet<string> | undefined {
  if (names.length === 0) return undefined;
  const known = products.products.map((source) => source.spec.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length) {
    const nearest = suggestNearest(unknown[0]!, known);
    throw new UserError(`unknown product ${unknown.map((n) => `"${n}"`).join(', ')} in --product${nearest ? `; did you mean "${nearest}"?` : ''} (products/ defines ${known.length})`);
  }
  return new Set(names);
}
