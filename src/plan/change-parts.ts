import type { Change, ChangeAction, DuplicateOf, FieldChange, ObjectAfter, Precondition } from '../model/plan.ts';
import type { DesiredObject, LiveObject } from '../model/objects.ts';
import { refLabel } from '../model/objects.ts';
import { objectFingerprint } from '../model/fingerprint.ts';
import { describeState } from '../diff/compare.ts';

// The parts every planned change is made of (its id, its precondition, its after state), and a delete whole.

/**
 * The delete of an orphan, or with `duplicate` of one newer copy of an object that stays: its id
 * then names the copy, and it is not protected, because the product itself is kept.
 */
export function planDelete(target: string, live: LiveObject, duplicate?: DuplicateOf, desired?: DesiredObject): Change {
  const fields: FieldChange[] = [{ path: 'status', before: live.status }];
  const name = live.product ?? live.key;
  const { id, ...identity } = identify(target, live.key, 'delete');
  return {
    id: duplicate ? `${id}@${refLabel(live.ref)}` : id,
    ...identity,
    product: name,
    fields: fields.concat(describeState(live.state).map((f) => ({ path: f.path, before: f.after }))),
    risk: 'high',
    reasons: [deleteReason(name, duplicate)],
    dependsOn: [],
    precondition: presentAs(live),
    ref: live.ref,
    ...(duplicate ? { duplicate } : {}),
    ...(desired ? { source: desired.locate() } : {}),
    // The live marker, not Git: the file may be gone. A duplicate copy's delete keeps the product.
    protected: !duplicate && live.protected === true,
  };
}

function deleteReason(name: string, duplicate: DuplicateOf | undefined): string {
  if (!duplicate) return 'the product is owned by apiproducts but no longer in Git, and pruning is on';
  if (duplicate.order === 'created') return `a newer copy of ${name}, identical to the oldest, ${duplicate.kept}, which is kept; pruning is on`;
  return `a copy of ${name} identical to ${duplicate.kept}, which is kept because no creation time tells them apart and its id is the lowest; pruning is on`;
}

export function presentAs(live: LiveObject): Extract<Precondition, { kind: 'present' }> {
  const observed = { status: live.status, state: live.state };
  return { kind: 'present', fingerprint: objectFingerprint(observed), observed };
}

export function identify(target: string, key: string, action: ChangeAction) {
  return { id: `${target}/${key}/${action}`, action, target, key };
}

export function withAttachments(after: ObjectAfter, from: DesiredObject | LiveObject): ObjectAfter {
  return from.attachments ? { ...after, attachments: from.attachments } : after;
}
