/**
 * A dotted field path (`labels.cost.center`, as `ignore:` writes it) read against the states it
 * applies to. A key may hold a dot, so at each level the longest run of the path's parts that is a
 * key of any of the states is taken: `labels → cost.center` where that label exists, else
 * `labels → cost → center`.
 */
export function pathSegments(path: string, states: readonly unknown[]): string[] {
  const parts = path.split('.');
  const segments: string[] = [];
  let nodes: readonly unknown[] = states;
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

/** `state` without the fields at `paths` (a copy along those paths only; `state` is not changed). */
export function withoutPaths<T extends Record<string, unknown>>(state: T, paths: readonly string[]): T {
  let result: Record<string, unknown> = state;
  for (const path of paths) {
    const segments = pathSegments(path, [result]);
    const field = segments.pop()!;
    const parents: Record<string, unknown>[] = [];
    let node: unknown = result;
    for (const segment of segments) {
      if (!isRecord(node)) break;
      parents.push(node);
      node = node[segment];
    }
    if (parents.length !== segments.length || !isRecord(node) || !Object.hasOwn(node, field)) continue;
    // Rebuilt from the field up: every object on the way is a copy.
    let copy: Record<string, unknown> = { ...node };
    delete copy[field];
    for (let i = segments.length - 1; i >= 0; i--) copy = { ...parents[i]!, [segments[i]!]: copy };
    result = copy;
  }
  return result as T;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
