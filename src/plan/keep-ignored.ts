import type { ObjectState } from '../model/plan.ts';

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
    const segments = segmentsOf(path, result, live);
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

/**
 * The keys an ignore path names, read against the states: a key may hold a dot (a label
 * `cost.center`), so at each level the longest run of the path's parts that is a key of either
 * state is taken (`labels.cost.center` is `labels → cost.center` where that label exists, else
 * `labels → cost → center`).
 */
function segmentsOf(path: string, ...states: ObjectState[]): string[] {
  const parts = path.split('.');
  const segments: string[] = [];
  let nodes: unknown[] = states;
  for (let at = 0; at < parts.length; ) {
    let length = parts.length - at;
    while (length > 1 && !nodes.some((node) => isRecord(node) && Object.hasOwn(node, parts.slice(at, at + length).join('.')))) length--;
    const key = parts.slice(at, at + length).join('.');
    segments.push(key);
    nodes = nodes.map((node) => (isRecord(node) ? node[key] : undefined));
    at += length;
  }
  return segments;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
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
