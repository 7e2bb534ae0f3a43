import { showValue } from '../../model/display.ts';
import { locateKeyOf } from '../../model/positions.ts';
import type { PolicyRule } from './rule.ts';

/**
 * `name-pattern`: the product's name matches the rule's regular expression (compiled in unicode
 * mode, refused in the config when it could backtrack catastrophically: safe-pattern.ts). Names
 * are at most 63 characters (the product schema), which bounds the work of any match further.
 */
export const namePattern: PolicyRule = {
  id: 'name-pattern',
  check(product, _bound, options) {
    const pattern = options.pattern;
    if (!pattern || pattern.regex.test(product.spec.name)) return [];
    return [{
      message: `product name ${showValue(product.spec.name, { identity: true })} does not match the pattern ${showValue(pattern.source)}`,
      fix: 'rename the product (a rename deletes it and creates it anew on every target)',
      source: locateKeyOf(product, ['name']),
      targets: [],
    }];
  },
};
