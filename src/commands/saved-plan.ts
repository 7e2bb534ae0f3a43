import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, UserError, type Diagnostic } from '../model/diagnostic.ts';
import type { Plan } from '../model/plan.ts';
import { observeTargets } from '../observe/read-live.ts';
import { identityMismatch, parsePlanFile } from '../plan/plan-file.ts';
import { findStaleObjects, protectedOnPortal } from '../plan/stale.ts';
import { formatValue } from '../model/display.ts';
import { getProviderKind } from '../registry.ts';
import type { ValidProject } from './project.ts';
import type { OpenTargets } from './session.ts';

/** Reads a saved plan and checks it was made against the targets the configuration names now. */
export function readSavedPlan(file: string, cwd: string, project: ValidProject): { plan: Plan; warnings: Diagnostic[] } {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UserError(`cannot read plan file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const plan = parsePlanFile(text, file);
  const problems: Diagnostic[] = [];
  for (const planned of plan.targets) {
    const config = project.config.targets.find((t) => t.name === planned.name);
    const kind = config && getProviderKind(config.provider);
    if (!config || !kind) {
      problems.push({ severity: 'error', rule: 'plan/unknown-target', message: `the plan is for target ${planned.name}, which ${project.config.file} no longer defines`, target: planned.name });
      continue;
    }
    const mismatch = identityMismatch(planned.identity, kind.identify(config));
    if (mismatch) problems.push({ severity: 'error', rule: 'plan/other-target', message: mismatch, target: planned.name, fix: 'make a new plan against this target' });
  }
  if (problems.length) throw new UserError(`${file} cannot be applied to these targets`, problems);
  const warnings: Diagnostic[] = [];
  if (plan.configDigest !== project.digest) {
    warnings.push({
      severity: 'warning',
      rule: 'plan/config-changed',
      message: `products/ or ${project.config.file} changed since ${file} was made; apply runs the saved plan exactly as it is`,
    });
  }
  return { plan, warnings };
}

/**
 * Re-observes every target (list calls only) and refuses the plan, writing nothing, when any
 * object it relied on has moved since: exit 3, naming each object and field. Returns the ids of
 * the removals the live markers protect now, for apply to refuse.
 */
export async function refuseStalePlan(plan: Plan, open: OpenTargets): Promise<Set<string>> {
  // The states the plan was made against and leads to: what they refer to is read again too.
  const objects = (target: string) => plan.changes.filter((change) => change.target === target).flatMap((change) => [
    ...(change.after ? [{ key: change.key, state: change.after.state }] : []),
    ...(change.precondition.kind === 'present' ? [{ key: change.key, state: change.precondition.observed.state }] : []),
  ]);
  const live = await observeTargets(open.providers, new Map([...open.providers.keys()].map((name) => [name, { objects: objects(name) }])));
  const liveByTarget = new Map([...live].map(([name, target]) => [name, target.live]));
  const stale = findStaleObjects(plan.changes, liveByTarget);
  if (stale.length === 0) return protectedOnPortal(plan.changes, liveByTarget);
  const diagnostics: Diagnostic[] = stale.map((object) => ({
    severity: 'error',
    rule: 'plan/stale',
    target: object.target,
    product: object.key,
    message: `${object.key} ${object.what}${object.fields.length ? ': ' + object.fields.map((f) => `${f.path} ${formatValue(f.before, 60)} → ${formatValue(f.after, 60)}`).join(', ') : ''}`,
  }));
  throw new UserError(
    `the saved plan is stale: ${stale.length} object${stale.length === 1 ? '' : 's'} changed since it was made; nothing was written. Make a new plan and review it.`,
    diagnostics,
    ExitCode.stalePlan,
  );
}
