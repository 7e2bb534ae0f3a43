import { UserError } from '../model/diagnostic.ts';
import type { Plan } from '../model/plan.ts';

/**
 * Pure: the plans of one commit made target by target (a matrix of jobs, one target each) as one
 * plan, so that the pull request keeps one comment for all of them. They must come from the same
 * files (configuration digest) and cover different targets; the newest creation time is kept.
 */
export function mergePlans(plans: readonly { plan: Plan; file: string }[]): Plan {
  const [first, ...others] = plans;
  if (!first) throw new UserError('github comment needs a plan file');
  if (others.length === 0) return first.plan;
  const seen = new Map<string, string>();
  for (const { plan, file } of plans) {
    if (plan.configDigest !== first.plan.configDigest) throw new UserError(`${file} was planned from other files than ${first.file} (another commit?); comment the plans of one commit together`);
    for (const target of plan.targets) {
      const earlier = seen.get(target.name);
      if (earlier) throw new UserError(`${file} and ${earlier} both plan target ${target.name}; give each plan file its own targets`);
      seen.set(target.name, file);
    }
  }
  const all = plans.map(({ plan }) => plan);
  const { digest: _digest, ...head } = first.plan;
  return {
    ...head,
    createdAt: all.map((plan) => plan.createdAt).sort().at(-1)!,
    targets: all.flatMap((plan) => plan.targets),
    changes: all.flatMap((plan) => plan.changes),
    diagnostics: all.flatMap((plan) => plan.diagnostics),
  };
}
