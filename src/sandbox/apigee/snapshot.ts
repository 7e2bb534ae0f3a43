/**
 * A snapshot of plain data (objects, lists, primitives) as one flat list, and the check that a
 * value is still exactly that data: what list-view.ts holds against a stored product before it
 * reuses the product's serialized view.
 *
 * Flat, not a deep copy: a deep copy is one object per nested object and list (about twenty per
 * product), and 100,000 of them made the emulator's first listing of 100,000 products spend most
 * of its time in garbage collection; one array per product holds the same facts.
 *
 * Layout: an object is OBJECT, its key count, then each key and its value; a list is LIST, its
 * length, then its items; a primitive is itself. The markers are objects of their own, which no
 * primitive equals, so a value matches a snapshot only when it is the same data: the same keys in
 * the same order, the same lengths, the same primitives (Object.is).
 */
const OBJECT = Object.freeze({ marker: 'object' });
const LIST = Object.freeze({ marker: 'list' });

export type Snapshot = readonly unknown[];

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Appends `value` to `out`; false when it holds something but plain data (a class instance, a function, a bigint). */
function write(value: unknown, out: unknown[]): boolean {
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return false;
  if (typeof value !== 'object' || value === null) {
    out.push(value);
    return true;
  }
  if (Array.isArray(value)) {
    out.push(LIST, value.length);
    for (let i = 0; i < value.length; i++) if (!write(value[i], out)) return false;
    return true;
  }
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  out.push(OBJECT, keys.length);
  for (const key of keys) {
    out.push(key);
    if (!write((value as Record<string, unknown>)[key], out)) return false;
  }
  return true;
}

/** The snapshot of `value`, or undefined when it is not plain data. */
export function snapshotOf(value: unknown): Snapshot | undefined {
  const out: unknown[] = [];
  return write(value, out) ? out : undefined;
}

/** The index just past `value`'s part of `snapshot` starting at `at`, or -1 where they differ. */
function matchFrom(snapshot: Snapshot, at: number, value: unknown): number {
  if (at >= snapshot.length) return -1;
  const head = snapshot[at];
  if (head === LIST) {
    if (!Array.isArray(value) || value.length !== snapshot[at + 1]) return -1;
    let next = at + 2;
    for (let i = 0; i < value.length && next >= 0; i++) next = matchFrom(snapshot, next, value[i]);
    return next;
  }
  if (head === OBJECT) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !isPlainObject(value)) return -1;
    const keys = Object.keys(value);
    if (keys.length !== snapshot[at + 1]) return -1;
    let next = at + 2;
    for (let i = 0; i < keys.length && next >= 0; i++) {
      const key = keys[i]!;
      next = snapshot[next] === key ? matchFrom(snapshot, next + 1, (value as Record<string, unknown>)[key]) : -1;
    }
    return next;
  }
  // A primitive matches only the same primitive (an object never equals a primitive under Object.is).
  return Object.is(head, value) ? at + 1 : -1;
}

/** Whether `value` is exactly the data `snapshot` was taken of. */
export function matchesSnapshot(snapshot: Snapshot, value: unknown): boolean {
  return matchFrom(snapshot, 0, value) === snapshot.length;
}
