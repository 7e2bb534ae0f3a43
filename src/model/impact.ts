import type { Change, Impact } from './plan.ts';

const SINGULAR: Record<Impact['consumers'], string> = { subscriptions: 'subscription', 'developer apps': 'developer app' };

/**
 * One phrase for what a change does to its consumers, the same in text and Markdown:
 * `cancels 42 subscriptions`, `breaks 1 developer app`, `narrows access for 3 developer apps`,
 * `affects 3 developer apps`; a count that could not be read says so and is never shown as 0:
 * `subscriptions: unknown (HTTP 503)`.
 */
export function describeImpact(impact: Impact): string {
  if (!('count' in impact)) return `${impact.consumers}: unknown (${impact.unknown})`;
  const noun = impact.count === 1 ? SINGULAR[impact.consumers] : impact.consumers;
  const counted = `${impact.count} ${noun}`;
  return impact.effect === 'narrows' ? `narrows access for ${counted}` : `${impact.effect} ${counted}`;
}

/**
 * The impact of one object's high-risk steps (an unpublish → update → publish cycle counts its
 * consumers once): the first step's that has one.
 */
export function impactOf(changes: readonly Change[]): Impact | undefined {
  return changes.find((change) => change.impact)?.impact;
}
