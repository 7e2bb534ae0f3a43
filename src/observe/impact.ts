import type { Change, Plan } from '../model/plan.ts';
import type { Provider } from '../providers/provider.ts';

/**
 * Reads, for every high-risk change of a built plan, how many consumers it affects, and records it
 * on the change (`Change.impact`). The core stays pure: the plan is built first, then only its
 * high-risk changes go to their target's `countConsumers`, so the cost is O(high-risk changes),
 * never O(products). A target whose provider counts nothing leaves its changes without `impact`;
 * a count that could not be read comes back as an `unknown` Impact (the provider contract), never
 * as 0, so the policy in apply/apply-plan.ts can refuse it.
 */
export async function readImpact(plan: Plan, providers: ReadonlyMap<string, Pick<Provider, 'countConsumers'>>): Promise<void> {
  const risky = new Map<string, Change[]>();
  for (const change of plan.changes) {
    if (change.risk !== 'high') continue;
    risky.get(change.target)?.push(change) ?? risky.set(change.target, [change]);
  }
  await Promise.all(
    [...risky].map(async ([target, changes]) => {
      const provider = providers.get(target);
      if (!provider?.countConsumers) return;
      const counted = await provider.countConsumers(changes);
      for (const change of changes) {
        const impact = counted.get(change.id);
        if (impact) change.impact = impact;
      }
    }),
  );
}
