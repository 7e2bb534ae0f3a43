import { hasErrors, UserError } from '../model/diagnostic.ts';
import type { Plan } from '../model/plan.ts';
import type { LiveObject } from '../model/objects.ts';
import type { TargetConfig } from '../model/target.ts';
import type { ProviderKind } from '../providers/provider.ts';
import { desiredObjects } from './desired-objects.ts';
import { observeTargets, type LiveTarget } from '../observe/read-live.ts';
import { buildPlan } from '../plan/build-plan.ts';
import type { ValidProject } from './project.ts';
import type { OpenTargets } from './session.ts';
import { tool } from './tool-info.ts';

/**
 * With `--product`, the live objects of the other products are out of scope: an owned one by the
 * product its marker names, an unowned one unless a selected product wants its key.
 */
function inScope(live: LiveObject[], project: ValidProject, config: TargetConfig, kind: ProviderKind): LiveObject[] {
  const only = project.only;
  if (!only) return live;
  const wanted = new Set(desiredObjects(project.products, config, kind).map((object) => object.key));
  return live.filter((object) => (object.owned ? object.product !== undefined && only.has(object.product) : wanted.has(object.key)));
}

/**
 * observe → diff → plan → preflight for an open set of targets. Preflight and collision errors
 * become a UserError: a plan that cannot be applied is not shown as if it could. `observed`: the
 * observation of these targets started while the project loaded (read-while-loading.ts).
 */
export async function makePlan(
  project: ValidProject,
  open: OpenTargets,
  options: { prune: boolean; preflight?: boolean; observed?: Promise<Map<string, LiveTarget>> },
): Promise<Plan> {
  const live = await (options.observed ?? observeTargets(open.providers));
  const plan = buildPlan({
    targets: open.sessions.map(({ config, kind }) => ({
      name: config.name,
      provider: kind.kind,
      identity: kind.identify(config),
      observedAt: live.get(config.name)!.observedAt,
      desired: desiredObjects(project.products, config, kind),
      live: inScope(live.get(config.name)!.live, project, config, kind),
      lockedWhilePublished: kind.lockedWhilePublished,
      unpublishConsequence: kind.unpublishConsequence,
      ignore: config.ignore,
      hiddenWhileDraft: kind.hiddenWhileDraft ?? [],
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
  return plan;
}
