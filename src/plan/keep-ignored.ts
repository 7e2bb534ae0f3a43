import type { ObjectState } from '../model/plan.ts';
import { pathSegments } from '../model/field-paths.ts';

/**
 * The desired state with every ignored field set to its live value (absent when absent live), so
 * that it is neither shown as a change nor overwritten by apply (Terraform's ignore_changes).
 * Copied along the ignored paths only: the rest is shared with `desired`, which is never changed
 * (a whole copy of every product's state cost more than the rest of the plan of an unchanged one).
 */
export function keepIgnored(desired: ObjectState, live: ObjectState, ignore: readonly string[]): ObjectState {
  if (ignore.length === 0) return desired;
  const result: ObjectState = { ...desired };
  for (const path of ignore) {
    const segments = pathSegments(path, [result, live]);
    const field = segments.pop()!;
    const kept = walk(live, segments)?.[field];
    if (kept === undefined) {
      // Absent live: absent in the plan too, without making the objects on the way.
      if (Object.hasOwn(walk(result, segments) ?? {}, field)) delete copyPath(result, segments)![field];
      continue;
    }
    const desiredParent = copyPath(result, segments);
    // A copy of what is an object, so that the plan never shares one with the live state.
    if (desiredParent) desiredParent[field] = kept !== null && typeof kept === 'object' ? structuredClone(kept) : kept;
  }
  return result;
}

/** The object at `segments` under `state` (created where absent), each object on the way a copy owned by `state`. */
function copyPath(state: ObjectState, segments: readonly string[]): Record<string, unknown> | undefined {
  let node: Record<string, unknown> = state;
  for (const segment of segments) {
    const next = node[segment];
    if (next !== null && typeof next === 'object' && !Array.isArray(next)) node = node[segment] = { ...(next as Record<string, unknown>) };
    else if (next === undefined) node = node[segment] = {};
    else return undefined;
  }
  return node;
}

function walk(state: ObjectState, segments: readonly string[]): Record<string, unknown> | undefined {
  let node: Record<string, unknown> = state;
  for (const segment of segments) {
    const next = node[segment];
    if (next !== null && typeof next === 'object' && !Array.isArray(next)) node = next as Record<string, unknown>;
    else return undefined;
  }
  return node;
}
