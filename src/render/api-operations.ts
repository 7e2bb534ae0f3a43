import type { AspectChange, OperationChange, OperationRef, OperationsDiff } from '../model/api-operations.ts';

/**
 * The operations of an OpenAPI update as text and Markdown share them: a summary, then one entry
 * per operation (removed first: they break clients), at most `LISTED_OPERATIONS` per change. The
 * JSON plan always holds every one. Strings are returned raw: each renderer escapes them.
 */
export const LISTED_OPERATIONS = 20;

const ASPECT_NAMES: Record<AspectChange['aspect'], string> = {
  parameters: 'parameters',
  requestBody: 'request body',
  responses: 'responses',
  security: 'security',
};

export type OperationEntry =
  | { kind: 'added'; operation: string }
  | { kind: 'removed'; operation: string }
  | { kind: 'changed'; operation: string; details: string };

export interface OperationListing {
  summary: string;
  entries: OperationEntry[];
  /** Operations not listed because of the cap. */
  more: number;
}

/** `2 added, 1 removed, 3 changed`, or the reason the operations were not compared. */
export function listOperations(diff: OperationsDiff): OperationListing {
  if (diff.status === 'not-compared') return { summary: `operations not compared: ${diff.reason}`, entries: [], more: 0 };
  const total = diff.added.length + diff.removed.length + diff.changed.length;
  if (total === 0) {
    return { summary: 'the document changed, but no operation was added, removed or changed (descriptions, examples or other text only)', entries: [], more: 0 };
  }
  const entries: OperationEntry[] = [
    ...diff.removed.map((operation) => ({ kind: 'removed' as const, operation: name(operation) })),
    ...diff.added.map((operation) => ({ kind: 'added' as const, operation: name(operation) })),
    ...diff.changed.map((operation) => ({ kind: 'changed' as const, operation: changedName(operation), details: operation.changes.map(describeAspect).join('; ') })),
  ];
  const counts = [`${diff.added.length} added`, `${diff.removed.length} removed`, `${diff.changed.length} changed`];
  return {
    summary: `${total} operation${total === 1 ? '' : 's'}: ${counts.join(', ')}`,
    entries: entries.slice(0, LISTED_OPERATIONS),
    more: Math.max(0, entries.length - LISTED_OPERATIONS),
  };
}

/** `and 12 more operations (the JSON plan lists every one)`. */
export function moreOperations(count: number): string {
  return `and ${count} more operation${count === 1 ? '' : 's'} (the JSON plan lists every one)`;
}

function name(operation: OperationRef): string {
  return `${operation.method} ${operation.path}`;
}

function changedName(operation: OperationChange): string {
  return operation.livePath ? `${name(operation)} (live: ${operation.livePath})` : name(operation);
}

/** `parameters +query tag, -header x-trace, ~query limit (now required)`. */
function describeAspect(change: AspectChange): string {
  const items = [...change.added.map((n) => `+${n}`), ...change.removed.map((n) => `-${n}`), ...change.changed.map((n) => `~${n}`)];
  return `${ASPECT_NAMES[change.aspect]} ${items.join(', ')}`;
}
