/**
 * The order of an API7 plan's updates that move a gateway service from one product to another:
 * "a published service may belong to only one API product" (reference §3), so the update that
 * takes a service must run after the one that frees it. Both are updates, one phase, run
 * concurrently unless one depends on the other: without the order, the taking update met a 400
 * whenever it came first. Pure: works on the plan's changes.
 */
import type { Change } from '../../model/plan.ts';
import type { Api7State, ServiceLink } from './mapping.ts';

export interface LinkOrder {
  /** Change id → the ids of the updates it must run after. */
  after: Map<string, string[]>;
  /** Changes that each take a service the other frees (a swap): no order works, in one apply. */
  swaps: [Change, Change][];
}

const linkKey = (link: ServiceLink): string => `${link.gatewayGroup}/${link.service}`;

function linksIn(value: unknown): Set<string> {
  return new Set(Array.isArray(value) ? (value as ServiceLink[]).map(linkKey) : []);
}

/** The links an update removes and the ones it (or a create) adds. */
function linkChanges(change: Change): { frees: Set<string>; takes: Set<string> } {
  if (change.action === 'create') {
    const state = change.after?.state as unknown as Api7State | undefined;
    return { frees: new Set(), takes: state?.type === 'gateway' ? new Set(state.services.map(linkKey)) : new Set() };
  }
  const field = change.action === 'update' ? change.fields.find((candidate) => candidate.path === 'services') : undefined;
  if (!field) return { frees: new Set(), takes: new Set() };
  const before = linksIn(field.before);
  const after = linksIn(field.after);
  return { frees: new Set([...before].filter((key) => !after.has(key))), takes: new Set([...after].filter((key) => !before.has(key))) };
}

export function linkOrder(changes: readonly Change[]): LinkOrder {
  const moves = changes.map((change) => ({ change, ...linkChanges(change) }));
  const after = new Map<string, string[]>();
  const swaps: [Change, Change][] = [];
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return (after.get(from) ?? []).some((next) => reaches(next, to, seen));
  };
  for (const taker of moves) {
    for (const key of taker.takes) {
      for (const freer of moves) {
        if (freer.change.action !== 'update' || freer.change.key === taker.change.key || !freer.frees.has(key)) continue;
        if (reaches(freer.change.id, taker.change.id)) {
          if (!swaps.some(([a, b]) => (a === freer.change && b === taker.change) || (a === taker.change && b === freer.change))) swaps.push([freer.change, taker.change]);
          continue;
        }
        const ids = after.get(taker.change.id) ?? [];
        if (!ids.includes(freer.change.id)) after.set(taker.change.id, [...ids, freer.change.id]);
      }
    }
  }
  return { after, swaps };
}
