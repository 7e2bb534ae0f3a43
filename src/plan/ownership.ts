import type { Diagnostic } from '../model/diagnostic.ts';
import type { FieldChange } from '../model/plan.ts';
import type { DesiredObject, LiveObject } from '../model/objects.ts';
import { describeOwner } from '../model/objects.ts';

/**
 * Who owns what on a shared portal (issue 19 item 4): what the plan says when Git meets a live
 * object it does not own, and the pseudo-fields that show the marker itself changing.
 */

/** How the marker names a configuration in the `ownership` pseudo-field. */
function markerOf(owner: string): string {
  return owner === '' ? 'apiproducts' : `apiproducts (owner ${owner})`;
}

/**
 * The `ownership` pseudo-field of an update that takes an object over: from no marker (`adopt`)
 * or from another owner's (`adoptFrom`) to ours. Never part of `state`: the marker is written by
 * every write, so the update that shows it is the one that moves it.
 */
export function ownershipField(live: LiveObject, ourOwner: string | undefined): FieldChange {
  return { path: 'ownership', before: live.managedBy === undefined ? 'unmanaged' : markerOf(live.managedBy), after: markerOf(ourOwner ?? '') };
}

/**
 * The `protected` pseudo-field: the live marker (absent = false) against Git, so that changing
 * `protected` in Git is an update that applies the marker, and removing protection is a change
 * that must be applied before the product can be deleted or unpublished.
 */
export function protectedField(live: LiveObject, desired: DesiredObject): FieldChange | undefined {
  const before = live.protected === true;
  return before === desired.protected ? undefined : { path: 'protected', before, after: desired.protected };
}

/** Whether Git takes this other owner's object over explicitly (binding `adoptFrom`, written by `import --adopt-from`). */
export function adoptsFromOwner(desired: DesiredObject, live: LiveObject): boolean {
  return live.managedBy !== undefined && desired.adoptFrom === live.managedBy;
}

/** A Git product whose key another owner's configuration holds on the target: never adopted silently. */
export function ownerCollision(target: string, desired: DesiredObject, managedBy: string): Diagnostic {
  const adoptFrom = managedBy === '' ? "--adopt-from ''" : `--adopt-from ${managedBy}`;
  return {
    severity: 'error',
    rule: 'plan/owner-collision',
    message: `target ${target} already has a product "${desired.key}" managed by ${describeOwner(managedBy)} (another configuration sharing the portal); it is left alone`,
    fix: `rename the product in Git, or take it over explicitly with \`apiproducts import --target ${target} --product ${desired.key} ${adoptFrom}\` (after its owner removes it from their Git)`,
    source: desired.locate(),
    target,
    product: desired.product,
  };
}

/** A Git product whose key an object without any marker holds. */
export function unownedCollision(target: string, desired: DesiredObject): Diagnostic {
  return {
    severity: 'error',
    rule: 'plan/unowned-collision',
    message: `target ${target} already has a product "${desired.key}" that apiproducts does not manage; it is left alone`,
    fix: `adopt it with \`apiproducts import --target ${target} --product ${desired.key}\`, or rename the product in Git`,
    source: desired.locate(),
    target,
    product: desired.product,
  };
}
