import { showValue } from '../../model/display.ts';
import { resolveEffective } from '../../model/effective-product.ts';
import { inScope, type PolicyRule } from './rule.ts';
import { fieldSource, groupBySource, listTargets } from './where.ts';

/**
 * `public-requires-auth`: a product whose effective visibility is `public` on a target declares at
 * least one auth method there. Drafts count: publishing one is a one-line change that this rule
 * would then have to catch in the same review. The finding points at the `visibility` key that
 * makes it public (binding override or common field). Bindings where `auth:` is not how the
 * vendor protects a product (ProviderKind.authProtects: Apigee, API7 external products) pass.
 */
export const publicRequiresAuth: PolicyRule = {
  id: 'public-requires-auth',
  check(product, bound, options, context) {
    const failing = inScope(bound, options).flatMap((target) => {
      const effective = resolveEffective(product, target);
      const unprotected = effective.visibility === 'public' && effective.auth.length === 0 && context.authProtects(effective);
      return unprotected ? [{ target, source: fieldSource(product, target, 'visibility') }] : [];
    });
    return groupBySource(failing).map(({ source, targets }) => ({
      message: `product ${showValue(product.spec.name, { identity: true })} is public on ${listTargets(targets)} but declares no auth`,
      fix: 'add auth (e.g. auth: [key-auth]), or make it visibility: logged-in',
      source,
      targets,
    }));
  },
};
