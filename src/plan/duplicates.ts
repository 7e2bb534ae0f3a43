import type { Diagnostic } from '../model/diagnostic.ts';
import type { DesiredObject, LiveObject } from '../model/objects.ts';
import { refLabel } from '../model/objects.ts';
import { formatValue } from '../model/display.ts';
import { objectFingerprint } from '../model/fingerprint.ts';
import type { FieldChange } from '../model/plan.ts';
import { compareStates } from '../diff/compare.ts';
import type { DuplicateCopies } from '../diff/match.ts';

/**
 * What a plan does with several owned copies of one object (DESIGN §11: duplicates are errors,
 * never orphans). With pruning on and every newer copy identical to the kept one, the newer ones
 * are deleted: nothing is lost. Otherwise it is an error, because which copy is right is for a
 * person to decide, and it names every copy so that person can find them.
 */
export type DuplicateVerdict = { deletes: LiveObject[] } | { diagnostic: Diagnostic };

export function judgeDuplicates(target: string, copies: DuplicateCopies, prune: boolean, desired: DesiredObject | undefined): DuplicateVerdict {
  const { kept, newer, key } = copies;
  const differences = newer.map((copy) => ({ copy, fields: differingFields(kept, copy) })).filter(({ fields }) => fields.length > 0);
  if (prune && differences.length === 0) return { deletes: newer };
  const name = kept.product ?? key;
  const ids = [kept, ...newer].map((copy) => refLabel(copy.ref));
  const order =
    copies.order === 'created'
      ? `${ids[0]} is the oldest`
      : `no creation time tells them apart (missing or equal), so ${ids[0]}, the lowest id, counts as the oldest`;
  const verdict = differences.length
    ? `they differ: ${differences.map(({ copy, fields }) => `${refLabel(copy.ref)} has ${fields.map(describeField).join(', ')}`).join('; ')}`
    : 'the copies are identical';
  return {
    diagnostic: {
      severity: 'error',
      rule: 'plan/duplicate',
      message: `duplicate of ${name}: target ${target} has ${ids.length} products apiproducts owns as "${key}" (ids ${ids.join(', ')}); ${order}; ${verdict}`,
      fix: differences.length
        ? `delete the copies that are wrong in the portal and plan again (--prune deletes only identical copies)`
        : `plan and apply with --prune to delete the newer ${newer.length === 1 ? 'copy' : 'copies'} (${ids.slice(1).join(', ')}) and keep ${ids[0]}`,
      ...(desired ? { source: desired.locate() } : {}),
      target,
      product: name,
    },
  };
}

/** The fields in which a copy differs from the kept one, status first: kept value → copy's value. */
function differingFields(kept: LiveObject, copy: LiveObject): FieldChange[] {
  if (objectFingerprint(kept) === objectFingerprint(copy)) return [];
  const fields = compareStates(kept.state, copy.state);
  if (kept.status !== copy.status) fields.unshift({ path: 'status', before: kept.status, after: copy.status });
  return fields;
}

function describeField(field: FieldChange): string {
  return `${field.path} ${formatValue(field.after, 60)} (kept: ${formatValue(field.before, 60)})`;
}
