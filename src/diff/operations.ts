import {
  OPERATION_ASPECTS,
  operationKey,
  type ApiDescription,
  type ApiOperation,
  type AspectChange,
  type OperationChange,
  type OperationRef,
  type OperationsDiff,
} from '../model/api-operations.ts';

const METHOD_ORDER = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'];

/**
 * Pure: the operations Git's document adds, removes and changes against the live one, matched by
 * method + path template (parameter names blanked). Either side unreadable: not compared, and why.
 */
export function compareApis(live: ApiDescription | undefined, desired: ApiDescription | undefined): OperationsDiff {
  if (live?.status !== 'read') return notCompared(`the live OpenAPI document cannot be read: ${live?.problem ?? 'the target returned none'}`);
  if (desired?.status !== 'read') return notCompared(`the OpenAPI document in Git cannot be read: ${desired?.problem ?? 'it was not read'}`);
  const before = byKey(live.operations);
  const after = byKey(desired.operations);
  const added: OperationRef[] = [];
  const changed: OperationChange[] = [];
  for (const [key, operation] of after) {
    const old = before.get(key);
    if (!old) {
      added.push(refOf(operation));
      continue;
    }
    const changes = OPERATION_ASPECTS.map((aspect) => compareAspect(aspect, old.parts[aspect], operation.parts[aspect])).filter(
      (change): change is AspectChange => change !== undefined,
    );
    if (changes.length) changed.push({ ...refOf(operation), ...(old.path !== operation.path ? { livePath: old.path } : {}), changes });
  }
  const removed = [...before].filter(([key]) => !after.has(key)).map(([, operation]) => refOf(operation));
  return { status: 'compared', added: added.sort(byPath), removed: removed.sort(byPath), changed: changed.sort(byPath) };
}

/** How many operations a diff names, in all. */
export function countOperations(diff: Extract<OperationsDiff, { status: 'compared' }>): number {
  return diff.added.length + diff.removed.length + diff.changed.length;
}

function compareAspect(aspect: AspectChange['aspect'], before: Record<string, string>, after: Record<string, string>): AspectChange | undefined {
  const added = Object.keys(after).filter((name) => !Object.hasOwn(before, name));
  const removed = Object.keys(before).filter((name) => !Object.hasOwn(after, name));
  const changed = Object.keys(after)
    .filter((name) => Object.hasOwn(before, name) && before[name] !== after[name])
    .map((name) => name + requiredNote(before[name]!, after[name]!));
  return added.length || removed.length || changed.length ? { aspect, added, removed, changed } : undefined;
}

/** Parameters carry `required`/`optional` first (load/openapi-operations.ts): a toggle is worth saying. */
function requiredNote(before: string, after: string): string {
  const was = before.split(' ')[0];
  const now = after.split(' ')[0];
  if (was === now || !['required', 'optional'].includes(was ?? '') || !['required', 'optional'].includes(now ?? '')) return '';
  return ` (now ${now})`;
}

/** The first of two operations that share a key wins: OpenAPI forbids such a pair, so either is a guess. */
function byKey(operations: readonly ApiOperation[]): Map<string, ApiOperation> {
  const map = new Map<string, ApiOperation>();
  for (const operation of operations) {
    const key = operationKey(operation.method, operation.path);
    if (!map.has(key)) map.set(key, operation);
  }
  return map;
}

function refOf(operation: ApiOperation): OperationRef {
  return { method: operation.method, path: operation.path };
}

function byPath(a: OperationRef, b: OperationRef): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method);
}

function notCompared(reason: string): OperationsDiff {
  return { status: 'not-compared', reason };
}
