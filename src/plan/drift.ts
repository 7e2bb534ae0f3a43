import type { Change, FieldChange, Plan, PlanTarget } from '../model/plan.ts';

/**
 * `changed-outside-git`: someone edited the live object since apiproducts wrote it;
 * `not-yet-applied`: Git changed (or the object was never applied); `missing`: in Git, not on the
 * target; `orphaned`: ours on the target, no longer in Git.
 */
export type DriftKind = 'changed-outside-git' | 'not-yet-applied' | 'missing' | 'orphaned';

/** One field where live and Git disagree. Absent = not set on that side. */
export interface DriftField {
  path: string;
  live?: unknown;
  desired?: unknown;
}

export interface DriftItem {
  target: string;
  key: string;
  product: string;
  kind: DriftKind;
  fields: DriftField[];
}

/** Bumped whenever the drift report changes shape (schemas/drift.schema.json). */
export const DRIFT_FORMAT_VERSION = 1;

/** What differs between Git and every live target: read-only, built from a plan made without pruning. */
export interface DriftReport {
  formatVersion: typeof DRIFT_FORMAT_VERSION;
  createdAt: string;
  targets: PlanTarget[];
  items: DriftItem[];
  /** `--product`: the Git products the report was narrowed to; absent, every product of each target. */
  products?: string[];
}

/**
 * A drift issue describes every product of its target: one filed from part of them would close it
 * (nothing of the part drifts) or rewrite it without the rest, while the rest still drifts.
 */
export const NARROWED_ISSUES = 'drift issues describe every product of a target, so they are not filed from a report narrowed by --product (it would close or rewrite them while the other products still drift): run drift --github-issue without --product';

const ORDER: Record<DriftKind, number> = { 'changed-outside-git': 0, 'not-yet-applied': 1, missing: 2, orphaned: 3 };

/** Pure: the plan's changes regrouped per object, with live and desired values per field. */
export function buildDriftReport(plan: Plan, only?: ReadonlySet<string>): DriftReport {
  const byObject = new Map<string, Change[]>();
  for (const change of plan.changes) {
    const id = `${change.target}/${change.key}`;
    byObject.get(id)?.push(change) ?? byObject.set(id, [change]);
  }
  const items: DriftItem[] = [...byObject.values()].map((changes) => {
    const first = changes[0]!;
    const base = { target: first.target, key: first.key, product: first.product };
    // What a missing product would be is the plan's business; the report only says it is missing.
    if (first.action === 'create') return { ...base, kind: 'missing', fields: [] };
    const kind = changes.some((c) => c.changedOutsideGit) ? 'changed-outside-git' : 'not-yet-applied';
    return { ...base, kind, fields: mergeFields(changes) };
  });
  for (const target of plan.targets) {
    for (const key of target.orphaned) items.push({ target: target.name, key, product: key, kind: 'orphaned', fields: [] });
  }
  items.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.target.localeCompare(b.target) || a.key.localeCompare(b.key));
  return { formatVersion: DRIFT_FORMAT_VERSION, createdAt: plan.createdAt, targets: plan.targets, items, ...(only ? { products: [...only].sort() } : {}) };
}

/** An unpublish → update → publish cycle nets out to its real differences: status only if it ends elsewhere. */
function mergeFields(changes: readonly Change[]): DriftField[] {
  const fields = new Map<string, FieldChange>();
  for (const change of changes) {
    for (const field of change.fields) {
      const seen = fields.get(field.path);
      fields.set(field.path, seen ? { path: field.path, before: seen.before, after: field.after } : field);
    }
  }
  return [...fields.values()]
    .filter((f) => JSON.stringify(f.before) !== JSON.stringify(f.after))
    .map((f) => ({ path: f.path, ...(f.before !== undefined ? { live: f.before } : {}), ...(f.after !== undefined ? { desired: f.after } : {}) }));
}
