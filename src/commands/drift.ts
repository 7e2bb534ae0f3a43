import { ExitCode } from '../model/diagnostic.ts';
import { buildDriftReport } from '../plan/drift.ts';
import { renderDriftJson, renderDriftMarkdown, renderDriftText } from '../render/drift.ts';
import { readGithubContext } from '../github/context.ts';
import { postDriftIssues, toStderr } from './github.ts';
import type { Io, OutputFormat } from './io.ts';
import { makePlan } from './make-plan.ts';
import type { ProjectOptions } from './project.ts';
import { loadWhileObserving, openRunTargets } from './read-while-loading.ts';

export interface DriftOptions extends ProjectOptions {
  format: OutputFormat;
  /** `--github-issue`: also open, update or close one "Drift detected: <target>" issue per target. */
  githubIssue?: boolean;
}

/** `apiproducts drift`: read-only; what differs between Git and every target. Exit 2 on drift, 0 on none. */
export async function runDrift(options: DriftOptions, io: Io): Promise<number> {
  // Before any network: an issue that cannot be written is an error now, not after reading every target.
  const github = options.githubIssue ? readGithubContext(io.env) : undefined;
  const { project, early } = await loadWhileObserving(options, io, 'apiproducts drift');
  const { open, observed } = await openRunTargets(project, early, options.cwd, io, 'apiproducts drift');
  try {
    // Never prune here: orphans are reported, and preflight concerns applying, not reporting.
    const plan = await makePlan(project, open, { prune: false, preflight: false, ...(observed ? { observed } : {}) });
    // Masked before rendering: Markdown escapes a token's `_`, and the escaped form would slip past a mask of the text.
    const report = io.secrets.maskDeep(buildDriftReport(plan));
    if (options.format === 'json') io.out(renderDriftJson(report));
    else if (options.format === 'markdown') io.out(renderDriftMarkdown(report));
    else io.out(renderDriftText(report, io.style));
    if (github) await postDriftIssues(report, github, toStderr(io));
    return report.items.length > 0 ? ExitCode.changesPending : ExitCode.ok;
  } finally {
    await open.close();
  }
}
