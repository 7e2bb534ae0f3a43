import { showValue } from '../../model/display.ts';
import { locateKeyOf } from '../../model/positions.ts';
import { inScope, type PolicyRule } from './rule.ts';
import { listTargets } from './where.ts';

/**
 * `forbid-unbounded`: a binding on one of the listed targets does not set `unbounded: true`, the
 * binding key that lets a product bundle nothing and so grant access to every API on the target
 * (docs/product-model.md). The finding points at the `unbounded` key of each such binding.
 */
export const forbidUnbounded: PolicyRule = {
  id: 'forbid-unbounded',
  check(product, bound, options) {
    return inScope(bound, options)
      .filter((target) => product.spec.targets[target]?.['unbounded'] === true)
      .map((target) => ({
        message: `product ${showValue(product.spec.name, { identity: true })} is unbounded on ${listTargets([target])}, which forbids it: it grants access to every API there`,
        fix: 'remove unbounded: true and list what the product bundles (proxies, resources or operations)',
        source: locateKeyOf(product, ['targets', target, 'unbounded']),
        targets: [target],
      }));
  },
};
