import jsonPatch from 'fast-json-patch';
import type { FieldChange, ObjectState } from '../model/plan.ts';
import { canonicalJson } from '../model/fingerprint.ts';

/**
 * The fields that differ between two normalised states. Objects are compared key by key
 * (`labels.tier`), arrays as a whole (`services`): an element-level path such as `services/0/hosts/1`
 * tells a reviewer less than the array before and after.
 */
export function compareStates(before: ObjectState, after: ObjectState): FieldChange[] {
  // The common case of a plan, an unchanged object, without building a patch.
  if (identical(before, after)) return [];
  const operations = jsonPatch.compare(before, after);
  // By their segments, never by the dotted path: a key may hold a dot (a label `cost.center`),
  // and `labels.cost.center` split again would look for `labels → cost → center`.
  const fields = new Map<string, string[]>();
  for (const operation of operations) {
    const segments = collapseToField(operation.path, before, after);
    fields.set(JSON.stringify(segments), segments);
  }
  return [...fields.values()]
    .map((segments) => fieldChange(segments, before, after))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .filter((change) => !sameValue(change));
}

/** Every field of a state as additions: what a create shows. */
export function describeState(state: ObjectState): FieldChange[] {
  return Object.keys(state)
    .sort()
    .filter((key) => !isEmpty(state[key]))
    .map((key) => ({ path: key, after: state[key] }));
}

/**
 * The same keys and the same values all the way down (numbers and strings by ===): then the patch
 * is empty. Anything else, even a difference compareStates does not count (an absent key against
 * an empty list), is left to the patch.
 */
function identical(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!identical(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) if (!Object.hasOwn(right, key) || !identical(left[key], right[key])) return false;
  return true;
}

function collapseToField(pointer: string, before: ObjectState, after: ObjectState): string[] {
  const segments = pointer.split('/').slice(1).map(unescapePointer);
  const kept: string[] = [];
  let left: unknown = before;
  let right: unknown = after;
  for (const segment of segments) {
    kept.push(segment);
    left = child(left, segment);
    right = child(right, segment);
    if (Array.isArray(left) || Array.isArray(right) || !isPlainObject(left) || !isPlainObject(right)) break;
  }
  return kept;
}

function fieldChange(segments: readonly string[], before: ObjectState, after: ObjectState): FieldChange {
  const change: FieldChange = { path: segments.join('.') };
  const from = valueAt(before, segments);
  const to = valueAt(after, segments);
  if (from !== undefined) change.before = from;
  if (to !== undefined) change.after = to;
  return change;
}

function valueAt(state: ObjectState, segments: readonly string[]): unknown {
  let node: unknown = state;
  for (const segment of segments) node = child(node, segment);
  return node;
}

function child(node: unknown, segment: string): unknown {
  if (isPlainObject(node)) return node[segment];
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

/** Absent, empty string, empty list and empty map all mean "not set" (DESIGN §5). */
function sameValue(change: FieldChange): boolean {
  if (isEmpty(change.before) && isEmpty(change.after)) return true;
  return canonicalJson(change.before) === canonicalJson(change.after);
}
