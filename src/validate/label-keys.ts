import type { Diagnostic } from '../model/diagnostic.ts';
import { showValue } from '../model/display.ts';
import type { Locate, ProductSpec } from '../model/product.ts';

/**
 * Label keys that are one key to a reader but two to a portal: `Team` and `team`, or full-width
 * `ｔｅａｍ`. Compared after NFKC (compatibility forms: full-width, ligatures) and case folding
 * (upper- then lower-casing, which also folds `ß` to `ss`), within the labels one target gets:
 * the product's own and its binding's, which are merged (the binding's winning on the same key).
 * `team:` and a label that folds to `team` are refused too: both would be the product's team, and
 * which one a portal shows would depend on the vendor. Reported at the later key. A blank key is
 * refused too: no portal stores a label or attribute without a name.
 */
export function checkLabelKeys(spec: ProductSpec, locateKey: Locate): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const own = Object.keys(spec.labels ?? {}).map((key) => ({ key, path: ['labels', key] }));
  const bindings = Object.entries(spec.targets).map(([target, block]) => {
    const labels = (block as { labels?: unknown }).labels;
    const keys = labels !== null && typeof labels === 'object' ? Object.keys(labels) : [];
    return keys.map((key) => ({ key, path: ['targets', target, 'labels', key] }));
  });
  for (const labels of [[], ...bindings].map((binding) => [...own, ...binding.filter((b) => !own.some((o) => o.key === b.key))])) {
    const byFold = new Map<string, string>();
    for (const { key, path } of labels) {
      const at = path.join('\u0000');
      const fold = folded(key);
      const first = byFold.get(fold);
      if (first === undefined) byFold.set(fold, key);
      if (reported.has(at)) continue;
      if (key.trim() === '') {
        // An Apigee attribute needs a name ("attributes[0].name is required"): refused before apply.
        reported.add(at);
        diagnostics.push({
          severity: 'error',
          rule: 'product/blank-label-key',
          message: `a label key is ${key === '' ? 'empty' : 'only spaces'}`,
          fix: 'name the label, or remove it',
          source: locateKey(path),
        });
      } else if (first !== undefined) {
        reported.add(at);
        diagnostics.push({
          severity: 'error',
          rule: 'product/look-alike-label',
          message: `label ${showValue(key, { identity: true })} is the same key as ${showValue(first, { identity: true })} once case and Unicode compatibility forms are ignored`,
          fix: 'keep one of them: labels that look the same must be the same',
          source: locateKey(path),
        });
      } else if (spec.team !== undefined && fold === 'team') {
        reported.add(at);
        diagnostics.push({
          severity: 'error',
          rule: 'product/team-conflict',
          message: `label ${showValue(key, { identity: true })} and team: both set the product's team; neither is chosen over the other`,
          fix: `remove the label ${showValue(key, { identity: true })} (team: is the product's team on every target)`,
          source: locateKey(path),
        });
      }
    }
  }
  return diagnostics;
}

function folded(key: string): string {
  return key.normalize('NFKC').toUpperCase().toLowerCase();
}
