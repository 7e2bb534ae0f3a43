import type { SourcePosition } from '../../model/diagnostic.ts';
import type { ProductSource } from '../../model/product.ts';
import { locateKeyOf } from '../../model/positions.ts';

/**
 * The key that gives a product its value of `field` on one target: the binding's override, else
 * the common field, else the binding block itself (the value is the default). That is the line a
 * reviewer must change.
 */
export function fieldSource(product: ProductSource, target: string, field: string): SourcePosition {
  const binding = product.spec.targets[target] ?? {};
  if (Object.hasOwn(binding, field)) return locateKeyOf(product, ['targets', target, field]);
  if (Object.hasOwn(product.spec, field)) return locateKeyOf(product, [field]);
  return locateKeyOf(product, ['targets', target]);
}

/** The targets of apiproducts.yaml that a product binds, in the order its file lists them. */
export function boundTargets(product: ProductSource, known: ReadonlySet<string>): string[] {
  return Object.keys(product.spec.targets).filter((target) => known.has(target));
}

/** Failures on several targets that the same line causes: one finding, naming every target. */
export function groupBySource<T extends { target: string; source: SourcePosition }>(failures: readonly T[]): { source: SourcePosition; targets: string[] }[] {
  const groups = new Map<string, { source: SourcePosition; targets: string[] }>();
  for (const { target, source } of failures) {
    const key = `${source.file}:${source.line}:${source.column}`;
    const group = groups.get(key) ?? { source, targets: [] };
    group.targets.push(target);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export function listTargets(targets: readonly string[]): string {
  return `target${targets.length === 1 ? '' : 's'} ${targets.join(', ')}`;
}
