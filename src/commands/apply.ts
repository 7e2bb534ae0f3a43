import { ExitCode, formatDiagnostic, UserError } from '../model/diagnostic.ts';
import type { Plan } from '../model/plan.ts';
import { applyPlan } from '../apply/apply-plan.ts';
import { printAnnotations } from '../github/annotations.ts';
import { renderPlanText } from '../render/plan-text.ts';
import { countOutcomes, renderProgressLine, renderReportText } from '../render/report-text.ts';
import type { Io, OutputFormat } from './io.ts';
import { makePlan } from './make-plan.ts';
import { loadValidProject, type ProjectOptions, type ValidProject } from './project.ts';
import { readSavedPlan, refuseStalePlan } from './saved-plan.ts';
import { openTargets, type OpenTargets } from './session.ts';

export interface ApplyCommandOptions extends ProjectOptions {
  format: OutputFormat;
  /** A plan file from `plan --out`: apply exactly it, after checking it is not stale. */
  planFile?: string;
  autoApprove: boolean;
  dryRun: boolean;
  allowDestructive: boolean;
  prune: boolean;
}

/** `apiproducts apply [plan.json]`: plan (or read the saved plan), show, confirm, execute, report. */
export async function runApply(options: ApplyCommandOptions, io: Io): Promise<number> {
  const project = loadValidProject(options);
  if (!options.planFile) {
    const open = await openTargets(project.targets, options.cwd, io, 'apiproducts apply');
    try {
      const plan = await makePlan(project, open, { prune: options.prune || project.config.prune });
      return await execute(plan, project, open, options, io);
    } finally {
      await open.close();
    }
  }
  if (options.targets.length || options.prune) {
    throw new UserError('a saved plan is applied exactly as it is: --target and --prune belong on the `plan --out` command that made it');
  }
  const { plan, warnings } = readSavedPlan(options.planFile, options.cwd, project);
  for (const warning of warnings) io.err(formatDiagnostic(warning) + '\n');
  const targets = project.config.targets.filter((t) => plan.targets.some((p) => p.name === t.name));
  const open = await openTargets(targets, options.cwd, io, 'apiproducts apply');
  try {
    await refuseStalePlan(plan, open);
    return await execute(plan, project, open, options, io);
  } finally {
    await open.close();
  }
}

async function execute(plan: Plan, project: ValidProject, open: OpenTargets, options: ApplyCommandOptions, io: Io): Promise<number> {
  const log = options.format === 'json' ? io.err : io.out;
  log(renderPlanText(plan, io.style));
  printAnnotations(plan.diagnostics, io.env, options.cwd, io.err);
  if (plan.changes.length === 0) {
    if (options.format === 'json') io.out(JSON.stringify({ plan, report: null }, null, 2) + '\n');
    return ExitCode.ok;
  }
  if (!options.dryRun && !options.autoApprove) await confirm(io);
  log('\n');
  const report = await applyPlan(plan, open.providers, {
    concurrency: project.config.concurrency,
    dryRun: options.dryRun,
    allowDestructive: options.allowDestructive,
    onResult: (result) => log(renderProgressLine(result, io.style) + '\n'),
  });
  log(renderReportText(report, io.style));
  if (options.format === 'json') io.out(JSON.stringify({ plan, report }, null, 2) + '\n');
  const counts = countOutcomes(report);
  return counts.failed + counts.skipped > 0 ? ExitCode.partialApply : ExitCode.ok;
}

async function confirm(io: Io): Promise<void> {
  if (!io.interactive) {
    throw new UserError('apply needs confirmation and there is no terminal to ask; review the plan and pass --auto-approve (for CI), or run it in a terminal');
  }
  const answer = await io.ask("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
  if (answer.trim() !== 'yes') throw new UserError('apply cancelled; nothing was changed');
}
