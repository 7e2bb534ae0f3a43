import { showValue } from '../../model/display.ts';
import { resolveEffective } from '../../model/effective-product.ts';
import { inScope, type PolicyRule } from './rule.ts';
import { fieldSource, groupBySource, listTargets } from './where.ts';

/**
 * `approval-in-production`: on the targets listed as production, subscriptions need a person's
 * approval. `access: approval` (also the default) passes, and so does `restricted`, which is
 * invite-only on top of manual approval (DESIGN §3); `auto` fails. The finding points at the
 * `access` key that makes it auto (usually a common `access: auto` without a production override).
 */
export const approvalInProduction: PolicyRule = {
  id: 'approval-in-production',
  check(product, bound, options) {
    const failing = inScope(bound, options).flatMap((target) =>
      resolveEffective(product, target).access === 'auto' ? [{ target, source: fieldSource(product, target, 'access') }] : [],
    );
    return groupBySource(failing).map(({ source, targets }) => ({
      message: `product ${showValue(product.spec.name, { identity: true })} is auto-approved on production ${listTargets(targets)}`,
      fix: `set access: approval in the binding of ${targets.join(', ')} (auto-approval can stay in sandbox bindings)`,
      source,
      targets,
    }));
  },
};
