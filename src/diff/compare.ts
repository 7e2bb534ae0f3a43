import jsonPatch from 'fast-json-patch';
import type { FieldChange, ObjectState } from '../model/plan.ts';
import { canonicalJson } from '../model/fingerprint.ts';

/**
 * The fields that differ between two normalised states. Objects are compared key by key
 * (`labels.tier`), arrays as a whole (`services`): an element-level path such as `services/0/hosts/1`
 * tells a reviewer less than the array before and after.
 */
export function compareStates(before: ObjectState, after: ObjectState): FieldChange[] {
  const operations = jsonPatch.compare(before, after);
  const paths = new Set<string>();
  for (const operation of operations) paths.add(collapseToField(operation.path, before, after));
  return [...paths].sort().map((path) => fieldChange(path, before, after)).filter((change) => !sameValue(change));
}

/** Every field of a state as additions: what a create shows. */
export function describeState(state: ObjectState): FieldChange[] {
  return Object.keys(state)
    .sort()
    .filter((key) => !isEmpty(state[key]))
    .map((key) => ({ path: key, after: state[key] }));
}

function collapseToField(pointer: string, before: ObjectState, after: ObjectState): string {
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
  return kept.join('.');
}

function fieldChange(path: string, before: ObjectState, after: ObjectState): FieldChange {
  const change: FieldChange = { path };
  const from = valueAt(before, path);
  const to = valueAt(after, path);
  if (from !== undefined) change.before = from;
  if (to !== undefined) change.after = to;
  return change;
}

function valueAt(state: ObjectState, path: string): unknown {
  let node: unknown = state;
  for (const segment of path.split('.')) node = child(node, segment);
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
