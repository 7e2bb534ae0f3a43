import type { Diagnostic } from '../model/diagnostic.ts';
import type { Change, ChangeAction, DuplicateOf, FieldChange, Plan, PlanTarget } from '../model/plan.ts';
import { PLAN_FORMAT_VERSION } from '../model/plan.ts';
import type { ProductStatus } from '../model/product.ts';
import type { TargetIdentity } from '../model/target.ts';
import type { DesiredObject, LiveObject } from '../model/objects.ts';
import { refLabel } from '../model/objects.ts';
import { compareStates, describeState } from '../diff/compare.ts';
import { matchObjects } from '../diff/match.ts';
import { judgeDuplicates } from './duplicates.ts';
import { pruneEverything } from './prune-guard.ts';
import { adoptsFromOwner, ownerCollision, ownershipField, protectedField, unownedCollision } from './ownership.ts';
import { planApiOperations } from './api-operations.ts';
import { grantReasons } from './grant-reasons.ts';
import type { GrantField } from '../model/grants.ts';
import { keepIgnored } from './keep-ignored.ts';
import { identify, planDelete, presentAs, withAttachments } from './change-parts.ts';
import { appliedFingerprint } from '../model/fingerprint.ts';

/** One target's desired and live objects, and the vendor rules the plan must respect there. */
export interface TargetObservation {
  name: string;
  provider: string;
  identity: TargetIdentity;
  observedAt: string;
  /** Only owned objects were read (drift, observe/read-live.ts): unowned ones are not counted. */
  ownedOnly?: boolean;
  desired: DesiredObject[];
  live: LiveObject[];
  lockedWhilePublished: readonly string[];
  unpublishConsequence: string;
  /** Field paths managed outside Git on this target: kept at their live value, never diffed. */
  ignore: readonly string[];
  /** Fields a draft cannot have on this vendor: not compared while either side is a draft. */
  hiddenWhileDraft?: readonly string[];
  /** The configuration's `owner:` on this target (absent: none), named by the ownership pseudo-field. */
  owner?: string;
  /** Why a field change of an object that stays published is high risk (ProviderKind.fieldRisk). */
  fieldRisk?: (field: FieldChange) => string | undefined;
  /** State fields whose elements are what the product grants: an update that narrows or widens them is high risk. */
  grantFields?: readonly GrantField[];
  /** Which of this target's changes must wait for which others of the same phase (ProviderKind.sequenceChanges). */
  sequence?: (changes: readonly Change[]) => ReadonlyMap<string, readonly string[]>;
}

export interface PlanInput {
  targets: TargetObservation[];
  prune: boolean;
  tool: { name: string; version: string };
  createdAt: string;
  configDigest: string;
  diagnostics: Diagnostic[];
}

/**
 * Execution phases: removals first so that a service or name freed by one product can be taken by
 * another in the same apply, publishes last so that nothing goes live before it is complete.
 */
const PHASE: Record<ChangeAction, number> = { delete: 0, unpublish: 1, update: 2, create: 3, publish: 4 };

/** Pure: desired and live objects → the ordered changes that make live match Git. */
export function buildPlan(input: PlanInput): Plan {
  const changes: Change[] = [];
  const diagnostics = [...input.diagnostics];
  const targets: PlanTarget[] = [];
  for (const observation of input.targets) {
    const target: PlanTarget = {
      name: observation.name,
      provider: observation.provider,
      identity: observation.identity,
      observedAt: observation.observedAt,
      unmanaged: 0,
      orphaned: [],
      ...(observation.ownedOnly ? { ownedOnly: true as const } : {}),
    };
    targets.push(target);
    const everything = input.prune ? pruneEverything(observation.name, observation.desired, observation.live) : undefined;
    if (everything) diagnostics.push(everything);
    for (const pair of matchObjects(observation.desired, observation.live)) {
      switch (pair.kind) {
        case 'create':
          changes.push(planCreate(observation, pair.desired));
          break;
        case 'existing':
          changes.push(...planExisting(observation, pair.desired, pair.live, diagnostics));
          break;
        case 'collision':
          // Another owner's object is taken only when Git names that owner; `adopt: true` is for unmarked ones.
          if (pair.live.managedBy !== undefined ? adoptsFromOwner(pair.desired, pair.live) : pair.desired.adopt) {
            changes.push(...planExisting(observation, pair.desired, pair.live, diagnostics));
            break;
          }
          if (pair.live.managedBy !== undefined) {
            countManagedByOther(target, pair.live.managedBy);
            diagnostics.push(ownerCollision(observation.name, pair.desired, pair.live.managedBy));
            break;
          }
          target.unmanaged += 1;
          diagnostics.push(unownedCollision(observation.name, pair.desired));
          break;
        case 'orphan':
          if (input.prune) changes.push(planDelete(observation.name, pair.live));
          else target.orphaned.push(pair.live.key);
          break;
        case 'unmanaged':
          if (pair.live.managedBy !== undefined) countManagedByOther(target, pair.live.managedBy);
          else target.unmanaged += 1;
          break;
        case 'duplicate': {
          const verdict = judgeDuplicates(observation.name, pair.copies, input.prune, pair.desired);
          if ('diagnostic' in verdict) {
            diagnostics.push(verdict.diagnostic);
            break;
          }
          const of: DuplicateOf = { kept: refLabel(pair.copies.kept.ref), order: pair.copies.order };
          for (const copy of verdict.deletes) changes.push(planDelete(observation.name, copy, of, pair.desired));
          break;
        }
      }
    }
    target.orphaned.sort();
    if (target.managedByOthers) target.managedByOthers = Object.fromEntries(Object.entries(target.managedByOthers).sort(([a], [b]) => compare(a, b)));
  }
  changes.sort(
    // By id last: the deletes of an orphan and of its duplicate copies share their key.
    (a, b) => PHASE[a.action] - PHASE[b.action] || compare(a.target, b.target) || compare(a.key, b.key) || compare(a.id, b.id),
  );
  for (const observation of input.targets) {
    const extra = observation.sequence?.(changes.filter((change) => change.target === observation.name));
    for (const change of extra ? changes : []) {
      for (const id of extra!.get(change.id) ?? []) if (!change.dependsOn.includes(id)) change.dependsOn.push(id);
    }
  }
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    tool: input.tool,
    createdAt: input.createdAt,
    configDigest: input.configDigest,
    targets,
    changes,
    diagnostics,
  };
}

/** The fields kept at their live value for one object: its target's `ignore:` and what its provider leaves to live. */
function ignoredFor(observation: TargetObservation, desired: DesiredObject): readonly string[] {
  return desired.ignore ? [...observation.ignore, ...desired.ignore] : observation.ignore;
}

function planCreate(observation: TargetObservation, desired: DesiredObject): Change {
  const ignore = ignoredFor(observation, desired);
  return {
    ...identify(observation.name, desired.key, 'create'),
    product: desired.product,
    fields: [{ path: 'status', after: desired.status }, ...describeState(desired.state)],
    risk: 'low',
    reasons: [],
    dependsOn: [],
    precondition: { kind: 'absent' },
    after: { ...withAttachments({ status: desired.status, state: desired.state }, desired), ...(ignore.length ? { ignored: [...ignore] } : {}) },
    source: desired.locate(),
    protected: desired.protected,
  };
}

/**
 * Updates, publishes and unpublishes for an object we own. A change to a field the vendor locks
 * while published becomes unpublish → update → publish, each high risk, in one visible sequence.
 */
function planExisting(observation: TargetObservation, wanted: DesiredObject, live: LiveObject, diagnostics: Diagnostic[]): Change[] {
  const ignore = ignoredFor(observation, wanted);
  const changes = planSteps(observation, wanted, live, ignore, diagnostics);
  // What each step writes into the marker leaves the ignored fields out (appliedFingerprint).
  if (ignore.length) for (const change of changes) if (change.after) change.after = { ...change.after, ignored: [...ignore] };
  return changes;
}

function planSteps(observation: TargetObservation, wanted: DesiredObject, live: LiveObject, ignore: readonly string[], diagnostics: Diagnostic[]): Change[] {
  const desired = { ...wanted, state: keepIgnored(wanted.state, live.state, ignore) };
  const eitherDraft = live.status === 'draft' || desired.status === 'draft';
  const fields = compareStates(live.state, desired.state).filter(
    (field) => !(eitherDraft && observation.hiddenWhileDraft?.includes(field.path.split('.')[0] ?? '')),
  );
  const adopts = !live.owned;
  const unprotects = protectedField(live, desired);
  if (unprotects) fields.unshift(unprotects);
  if (adopts) fields.unshift(ownershipField(live, observation.owner));
  const lockedFields = fields.filter((f) => observation.lockedWhilePublished.includes(f.path.split('.')[0] ?? ''));
  const wasPublished = live.status === 'published';
  const staysPublished = desired.status === 'published';
  const mustCycle = wasPublished && staysPublished && lockedFields.length > 0;
  // In step with the three changes below: nothing to do is the common case, and costs no fingerprint or position.
  if (fields.length === 0 && wasPublished === staysPublished) return [];
  const precondition = presentAs(live);
  const common = {
    product: desired.product,
    precondition,
    ref: live.ref,
    source: desired.locate(),
    protected: desired.protected,
    ...(adopts ? { adopts: true } : {}),
    ...(adopts && live.managedBy !== undefined ? { adoptsFrom: live.managedBy } : {}),
    // The marker leaves the ignored fields out: an edit of one on the portal is no change outside Git.
    ...(live.lastApplied && live.lastApplied !== appliedFingerprint(live, ignore) ? { changedOutsideGit: true } : {}),
  };
  const cycleReason = mustCycle
    ? `${lockedFields.map((f) => f.path).join(', ')} cannot change while published, so the product is unpublished, updated and published again; ${observation.unpublishConsequence}`
    : undefined;
  if (unprotects && wasPublished && (!staysPublished || mustCycle)) {
    // The unpublish is refused while the portal's marker still protects the product (apply-plan.ts),
    // so as planned this never converged: protection comes off first, alone; the next plan has the rest.
    diagnostics.push({
      severity: 'warning',
      rule: 'plan/unprotect-first',
      message: `${desired.product}: this plan only removes its protection; the ${mustCycle ? 'unpublish → update → publish' : 'unpublish'} it also needs is refused while the product is protected on the portal: apply, then plan again`,
      target: observation.name,
      product: desired.product,
      source: common.source,
    });
    const marker = fields.filter((field) => field === unprotects || field.path === 'ownership');
    return [{ ...identify(observation.name, desired.key, 'update'), ...common, fields: marker, risk: 'low', reasons: [], dependsOn: [], after: withAttachments({ status: live.status, state: live.state }, live) }];
  }
  const changes: Change[] = [];
  const last = (): string[] => (changes.length ? [changes[changes.length - 1]!.id] : []);

  if (wasPublished && (!staysPublished || mustCycle)) {
    changes.push({
      ...identify(observation.name, desired.key, 'unpublish'),
      ...common,
      // The live marker protects it too: removing `protected` in Git must be applied first.
      protected: desired.protected || live.protected === true,
      fields: [{ path: 'status', before: 'published', after: 'draft' }],
      risk: 'high',
      reasons: [cycleReason ?? observation.unpublishConsequence],
      dependsOn: [],
      after: withAttachments({ status: 'draft', state: live.state }, live),
    });
  }
  if (fields.length > 0) {
    const statusDuringUpdate: ProductStatus = wasPublished && staysPublished && !mustCycle ? 'published' : 'draft';
    const { apiOperations, breaking } = planApiOperations(fields, desired, live, wasPublished && staysPublished);
    // Consumers lose something only while the object stays published; an unpublish already says so.
    const fieldReasons = wasPublished && staysPublished ? fields.flatMap((field) => observation.fieldRisk?.(field) ?? []) : [];
    const reasons = [cycleReason, breaking, ...grantReasons(fields, observation.grantFields ?? []), ...fieldReasons].filter((reason): reason is string => reason !== undefined);
    changes.push({
      ...identify(observation.name, desired.key, 'update'),
      ...common,
      fields,
      ...(apiOperations ? { apiOperations } : {}),
      risk: reasons.length ? 'high' : 'low',
      reasons,
      dependsOn: last(),
      after: withAttachments({ status: statusDuringUpdate, state: desired.state }, desired),
    });
  }
  if (staysPublished && (!wasPublished || mustCycle)) {
    changes.push({
      ...identify(observation.name, desired.key, 'publish'),
      ...common,
      fields: [{ path: 'status', before: 'draft', after: 'published' }],
      risk: mustCycle ? 'high' : 'low',
      reasons: cycleReason ? [cycleReason] : [],
      dependsOn: last(),
      after: withAttachments({ status: 'published', state: desired.state }, desired),
    });
  }
  return changes;
}

function countManagedByOther(target: PlanTarget, owner: string): void {
  target.managedByOthers = { ...target.managedByOthers, [owner]: (target.managedByOthers?.[owner] ?? 0) + 1 };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
