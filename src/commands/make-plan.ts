import { hasErrors, UserError } from '../model/diagnostic.ts';
import type { Change, FieldChange, Plan } from '../model/plan.ts';
import type { DesiredObject, LiveObject } from '../model/objects.ts';
import { desiredObjectsPausing } from './desired-objects.ts';
import { describeChangedApis } from './describe-apis.ts';
import { observeTargets, type LiveTarget, type TargetScope } from '../observe/read-live.ts';
import { readImpact } from '../observe/impact.ts';
import { buildPlan } from '../plan/build-plan.ts';
import { timeSlices, type ValidProject } from './project.ts';
import type { OpenTargets } from './session.ts';
import { tool } from './tool-info.ts';

/**
 * With `--product`, the live objects of the other products are out of scope: an owned one by the
 * product its marker names, an unowned one unless a selected product wants its key.
 */
function inScope(live: LiveObject[], project: ValidProject, desired: readonly DesiredObject[]): LiveObject[] {
  const only = project.only;
  if (!only) return live;
  const wanted = new Set(desired.map((object) => object.key));
  return live.filter((object) => (object.owned ? object.product !== undefined && only.has(object.product) : wanted.has(object.key)));
}

/**
 * observe → describe the OpenAPI documents that differ → diff → plan → preflight for an open set
 * of targets. Preflight and collision errors become a UserError: a plan that cannot be applied is
 * not shown as if it could. `observed`: the observation of these targets started while the project
 * loaded (read-while-loading.ts); the targets it left out (`Provider.readsByScope`, drift's
 * owned-only reads) are read now, with the desired states.
 */
export async function makePlan(
  project: ValidProject,
  open: OpenTargets,
  options: { prune: boolean; preflight?: boolean; ownedOnly?: boolean; observed?: Promise<Map<string, LiveTarget>> },
): Promise<Plan> {
  // Built between answers: the last list pages of a sequential pager may still be on their way.
  const pause = timeSlices();
  const desired = new Map<string, DesiredObject[]>();
  for (const { config, kind } of open.sessions) desired.set(config.name, await desiredObjectsPausing(project.products, config, kind, pause));
  // `ownedOnly` (drift): a provider that can list only its own objects may, when that is enough (read-live.ts).
  const scopes = new Map([...desired].map(([name, objects]): [string, TargetScope] => [name, { objects, ...(options.ownedOnly ? { ownedOnlyFor: objects } : {}) }]));
  // Told before the observation is awaited: a sequential pager still under way may speed up.
  for (const { config, provider } of open.sessions) provider.expect?.(desired.get(config.name)!.map((object) => object.key));
  const early = options.observed ? await options.observed : undefined;
  const unread = new Map([...open.providers].filter(([name]) => !early?.has(name)));
  const live = new Map([...(early ?? []), ...(unread.size > 0 ? await observeTargets(unread, scopes) : [])]);
  const objects = await Promise.all(
    open.sessions.map(({ config }) => describeChangedApis(desired.get(config.name)!, inScope(live.get(config.name)!.live, project, desired.get(config.name)!))),
  );
  const plan = buildPlan({
    targets: open.sessions.map(({ config, kind }, index) => ({
      name: config.name,
      provider: kind.kind,
      identity: kind.identify(config),
      observedAt: live.get(config.name)!.observedAt,
      ...(live.get(config.name)!.ownedOnly ? { ownedOnly: true } : {}),
      ...objects[index]!,
      lockedWhilePublished: kind.lockedWhilePublished,
      unpublishConsequence: kind.unpublishConsequence,
      ignore: config.ignore,
      hiddenWhileDraft: kind.hiddenWhileDraft ?? [],
      ...(config.owner !== undefined ? { owner: config.owner } : {}),
      ...(kind.fieldRisk ? { fieldRisk: (field: FieldChange) => kind.fieldRisk!(field) } : {}),
      grantFields: kind.grantFields ?? [],
      ...(kind.sequenceChanges ? { sequence: (changes: readonly Change[]) => kind.sequenceChanges!(changes) } : {}),
    })),
    prune: options.prune,
    tool,
    createdAt: new Date().toISOString(),
    configDigest: project.digest,
    diagnostics: project.warnings,
  });
  const preflight = options.preflight === false ? [] : await Promise.all(
    open.sessions.map(({ config, provider }) => provider.preflight(plan.changes.filter((c) => c.target === config.name))),
  );
  plan.diagnostics.push(...preflight.flat());
  if (hasErrors(plan.diagnostics)) {
    const count = plan.diagnostics.filter((d) => d.severity === 'error').length;
    throw new UserError(`the plan cannot be applied: ${count} error${count === 1 ? '' : 's'}`, plan.diagnostics);
  }
  await readImpact(plan, open.providers);
  return plan;
}
