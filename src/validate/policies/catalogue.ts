import { approvalInProduction } from './approval-in-production.ts';
import { forbidUnbounded } from './forbid-unbounded.ts';
import { namePattern } from './name-pattern.ts';
import { publicRequiresAuth } from './public-requires-auth.ts';
import { requireTeam } from './require-team.ts';
import type { PolicyRule, PolicyRuleId } from './rule.ts';

/** The fixed catalogue: every rule a `policies:` key can switch on (docs/policies.md). */
export const POLICY_CATALOGUE: Readonly<Record<PolicyRuleId, PolicyRule>> = {
  'public-requires-auth': publicRequiresAuth,
  'require-team': requireTeam,
  'approval-in-production': approvalInProduction,
  'name-pattern': namePattern,
  'forbid-unbounded': forbidUnbounded,
};
