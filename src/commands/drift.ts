import { ExitCode, UserError } from '../model/diagnostic.ts';
import { NARROWED_ISSUES } from '../plan/drift.ts';
import { readGithubContext } from '../github/context.ts';
import type { Io, OutputFormat } from './io.ts';
import type { ProjectOptions, ValidProject } from './project.ts';
import { loadWhileObserving, openRunTargets } from './read-while-loading.ts';

export interface DriftOptions extends ProjectOptions {
  format: OutputFormat;
  /** `--github-issue`: also open, update or close one "Drift detected: <target>" issue per target. */
  githubIssue?: boolean;
}

/**
 * An embedded sandbox starts empty on every CI run, so it always "drifts": an issue for it would be
 * noise every day. With `--github-issue` those targets are left out, and said so.
 */
function withoutEmbeddedSandboxes(project: ValidProject, io: Io): ValidProject {
  const sandboxes = project.targets.filter((target) => target.sandbox);
  if (sandboxes.length) io.err(`Not checked for drift issues (embedded sandboxes start empty on every run): ${sandboxes.map((t) => t.name).join(', ')}\n`);
  return { ...project, targets: project.targets.filter((target) => !target.sandbox) };
}

/** `apiproducts drift`: read-only; what differs between Git and every target. Exit 2 on drift, 0 on none. */
export async function runDrift(options: DriftOptions, io: Io): Promise<number> {
  // Before any network: an issue that cannot be written is an error now, not after reading every target.
  const github = options.githubIssue ? readGithubContext(io.env) : undefined;
  if (github && options.only?.length) throw new UserError(NARROWED_ISSUES);
  // A provider that can list only its own objects is read once the products are known (owned-only reads).
  const loaded = await loadWhileObserving(options, io, 'apiproducts drift', { later: (provider) => provider.observeOwned !== undefined });
  const project = github ? withoutEmbeddedSandboxes(loaded.project, io) : loaded.project;
  if (project.targets.length === 0) {
    await loaded.early?.drop();
    io.err('No drift check: every target is an embedded sandbox, and issues are filed only for real targets.\n');
    return ExitCode.ok;
  }
  const { open, observed } = await openRunTargets(project, loaded.early, options.cwd, io, 'apiproducts drift');
  try {
    // Loaded once the lists are requested, as plan does (plan.ts `planning`).
    const [{ makePlan }, { buildDriftReport }, { renderDriftJson, renderDriftMarkdown, renderDriftText }, { postDriftIssues, toStderr }] = await Promise.all([
      import('./make-plan.ts'),
      import('../plan/drift.ts'),
      import('../render/drift.ts'),
      import('./github.ts'),
    ]);
    // Never prune here: orphans are reported, and preflight concerns applying, not reporting.
    // Owned-only reads where they suffice (when nothing was read early): drift writes nothing, so
    // unowned objects matter only as collisions.
    const plan = await makePlan(project, open, { prune: false, preflight: false, ownedOnly: true, ...(observed ? { observed } : {}) });
    // Masked before rendering: Markdown escapes a token's `_`, and the escaped form would slip past a mask of the text.
    const report = io.secrets.maskDeep(buildDriftReport(plan, project.only));
    if (options.format === 'json') io.out(renderDriftJson(report));
    else if (options.format === 'markdown') io.out(renderDriftMarkdown(report));
    else io.out(renderDriftText(report, io.style));
    if (github) await postDriftIssues(report, github, toStderr(io));
    return report.items.length > 0 ? ExitCode.changesPending : ExitCode.ok;
  } finally {
    await open.close();
  }
}
