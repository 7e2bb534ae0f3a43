import type { Change } from '../model/plan.ts';
import { describeImpact } from '../model/impact.ts';

/** The impact policy of DESIGN §11: `maxAffected` per target, lifted for one run by `--allow-affected N`. */
export interface ImpactPolicy {
  /** `maxAffected` of each target that sets it. */
  maxAffected: ReadonlyMap<string, number>;
  /** `--allow-affected N`: changes affecting at most N consumers pass a target's maxAffected. */
  allowAffected?: number;
}

/**
 * Why the change must be skipped under the policy, or undefined. Only a target that sets
 * `maxAffected` refuses anything; there a count above it is refused unless `--allow-affected`
 * names at least that count, and a count that could not be read is always refused: the safe
 * direction, since it may be any number.
 */
export function impactRefusal(change: Change, policy: ImpactPolicy | undefined): string | undefined {
  const limit = policy?.maxAffected.get(change.target);
  if (limit === undefined || change.risk !== 'high' || !change.impact) return undefined;
  const impact = change.impact;
  if (!('count' in impact)) {
    return `${describeImpact(impact)} and target ${change.target} sets maxAffected: ${limit}, so it is not applied; plan again once the count can be read`;
  }
  if (impact.count <= limit || impact.count <= (policy?.allowAffected ?? -1)) return undefined;
  return `${describeImpact(impact)}, more than maxAffected: ${limit} of target ${change.target}: run apply with --allow-affected ${impact.count} to apply it`;
}
