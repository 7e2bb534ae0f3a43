import { showValue } from '../../model/display.ts';
import { resolveEffective } from '../../model/effective-product.ts';
import { locateKeyOf } from '../../model/positions.ts';
import type { PolicyRule } from './rule.ts';
import { listTargets } from './where.ts';

/** The label the `team:` field becomes on every target (DESIGN §3): it satisfies the default. */
const TEAM_LABEL = 'team';

/**
 * `require-team`: every product names its owner, on every target it binds. With no `label`
 * option, `team:` or a `team` label does; with `label: owner`, the `owner` label must be set (in
 * `labels:` or in each binding's). The finding points at `labels:` when the product has one, else
 * at `name:`.
 */
export const requireTeam: PolicyRule = {
  id: 'require-team',
  check(product, bound, options) {
    const label = options.label ?? TEAM_LABEL;
    const missing = bound.filter((target) => {
      const effective = resolveEffective(product, target);
      const value = label === TEAM_LABEL ? (effective.team ?? effective.labels[label]) : effective.labels[label];
      return value === undefined || value.trim() === '';
    });
    if (missing.length === 0) return [];
    const name = showValue(product.spec.name, { identity: true });
    const everywhere = missing.length === bound.length;
    const owner = label === TEAM_LABEL ? 'no team (team: or a team label)' : `no ${showValue(label, { identity: true })} label`;
    return [{
      message: `product ${name} names ${owner}${everywhere ? '' : ` on ${listTargets(missing)}`}`,
      fix: label === TEAM_LABEL ? 'add team: <owning team> to the product' : `add labels: {${label}: <owning team>} to the product`,
      source: locateKeyOf(product, Object.hasOwn(product.spec, 'labels') ? ['labels'] : ['name']),
      targets: everywhere ? [] : missing,
    }];
  },
};
