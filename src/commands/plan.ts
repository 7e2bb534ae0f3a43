import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode } from '../model/diagnostic.ts';
import { renderPlanJson } from '../render/plan-json.ts';
import { renderPlanMarkdown } from '../render/plan-markdown.ts';
import { renderPlanText } from '../render/plan-text.ts';
import type { Io, OutputFormat } from './io.ts';
import { makePlan } from './make-plan.ts';
import { loadValidProject, type ProjectOptions } from './project.ts';
import { openTargets } from './session.ts';

export interface PlanOptions extends ProjectOptions {
  format: OutputFormat;
  out?: string;
  detailedExitCode: boolean;
  prune: boolean;
}

/** `apiproducts plan`: what apply would do, read-only. */
export async function runPlan(options: PlanOptions, io: Io): Promise<number> {
  const project = loadValidProject(options);
  const open = await openTargets(project.targets, options.cwd);
  try {
    const plan = await makePlan(project, open, { prune: options.prune || project.config.prune });
    if (options.out) writeFileSync(resolve(options.cwd, options.out), renderPlanJson(plan));
    if (options.format === 'json') io.out(renderPlanJson(plan));
    else if (options.format === 'markdown') io.out(renderPlanMarkdown(plan));
    else {
      io.out(renderPlanText(plan, io.style));
      if (plan.changes.length) io.out(applyHint(options));
    }
    return options.detailedExitCode && plan.changes.length > 0 ? ExitCode.changesPending : ExitCode.ok;
  } finally {
    await open.close();
  }
}

function applyHint(options: PlanOptions): string {
  if (options.out) return `\nSaved the plan to ${options.out}. To apply exactly this plan, run:\n  npx apiproducts apply ${options.out}\n`;
  const flags = options.targets.map((t) => ` --target ${t}`).join('') + (options.prune ? ' --prune' : '');
  return `\nTo apply these changes, run:\n  npx apiproducts apply${flags}\n`;
}
