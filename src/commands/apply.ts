import { ExitCode, UserError } from '../model/diagnostic.ts';
import { applyPlan } from '../apply/apply-plan.ts';
import { renderPlanText } from '../render/plan-text.ts';
import { countOutcomes, renderProgressLine, renderReportText } from '../render/report-text.ts';
import type { Io, OutputFormat } from './io.ts';
import { makePlan } from './make-plan.ts';
import { loadValidProject, type ProjectOptions } from './project.ts';
import { openTargets } from './session.ts';

export interface ApplyCommandOptions extends ProjectOptions {
  format: OutputFormat;
  autoApprove: boolean;
  dryRun: boolean;
  allowDestructive: boolean;
  prune: boolean;
}

/** `apiproducts apply`: plan, show, confirm, execute, report. */
export async function runApply(options: ApplyCommandOptions, io: Io): Promise<number> {
  const project = loadValidProject(options);
  const open = await openTargets(project.targets, options.cwd);
  try {
    const plan = await makePlan(project, open, { prune: options.prune || project.config.prune });
    const log = options.format === 'json' ? io.err : io.out;
    log(renderPlanText(plan, io.style));
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
  } finally {
    await open.close();
  }
}

async function confirm(io: Io): Promise<void> {
  if (!io.interactive) {
    throw new UserError('apply needs confirmation and there is no terminal to ask; review the plan and pass --auto-approve (for CI), or run it in a terminal');
  }
  const answer = await io.ask("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
  if (answer.trim() !== 'yes') throw new UserError('apply cancelled; nothing was changed');
}
