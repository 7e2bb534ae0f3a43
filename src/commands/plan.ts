import { ExitCode, skippedTargets, TARGET_SKIPPED, UserError } from '../model/diagnostic.ts';
import type { Plan } from '../model/plan.ts';
import type { TargetConfig } from '../model/target.ts';
import { targetsWithCredentials } from '../github/available-targets.ts';
import { credentialVariables } from '../registry.ts';
import { readPullRequestContext, type PullRequestContext } from '../github/context.ts';
import type { Io, OutputFormat } from './io.ts';
import type { ProjectOptions, ValidProject } from './project.ts';
import { loadWhileObserving, openRunTargets } from './read-while-loading.ts';
import { checkPlanOut, writePlanOut } from './plan-out.ts';

/**
 * What this command needs once the targets' lists are requested: planning, rendering and the
 * GitHub comment are most of its code, and loading them before would delay the first request
 * (about 25 ms of every plan's start, on the critical path of a sequential pager).
 */
const planning = async () => {
  const [{ makePlan }, { renderPlanText }, { renderPlanJson }, { renderPlanMarkdown }, { printAnnotations }, { postPlanComment, toStderr }] = await Promise.all([
    import('./make-plan.ts'),
    import('../render/plan-text.ts'),
    import('../render/plan-json.ts'),
    import('../render/plan-markdown.ts'),
    import('../github/annotations.ts'),
    import('./github.ts'),
  ]);
  return { makePlan, renderPlanText, renderPlanJson, renderPlanMarkdown, printAnnotations, postPlanComment, toStderr };
};

export interface PlanOptions extends ProjectOptions {
  format: OutputFormat;
  out?: string;
  detailedExitCode: boolean;
  prune: boolean;
  /** `--github-comment`: also create or update the sticky comment on the pull request. */
  githubComment?: boolean;
  /** `--skip-missing-credentials`: plan only the targets whose credential variables are set. */
  skipMissingCredentials?: boolean;
  /** `--destructive-label NAME`: the label the comment names for approving high-risk changes on merge. */
  destructiveLabel?: string;
}

/** `apiproducts plan`: what apply would do, read-only. */
export async function runPlan(options: PlanOptions, io: Io): Promise<number> {
  // Before any network: a comment that cannot be posted is an error now, not after the plan.
  const github = options.githubComment ? readPullRequestContext(io.env) : undefined;
  const out = options.out === undefined ? undefined : checkPlanOut(options.out, options);
  try {
    return await plan(options, io, github, out);
  } catch (error) {
    if (github && error instanceof UserError) {
      const [{ GithubApiError }, { postFailureComment, toStderr }] = await Promise.all([import('../github/client.ts'), import('./github.ts')]);
      if (!(error instanceof GithubApiError)) await postFailureComment(error, github, toStderr(io));
    }
    throw error;
  }
}

async function plan(options: PlanOptions, io: Io, github: PullRequestContext | undefined, out: string | undefined): Promise<number> {
  const pick = options.skipMissingCredentials ? (targets: TargetConfig[]) => targetsWithCredentials(targets, io.env, credentialVariables).targets : undefined;
  const { project: loaded, early } = await loadWhileObserving(options, io, 'apiproducts plan', pick ? { pick } : {});
  const project = narrowToCredentials(loaded, options, io);
  if (project.targets.length === 0) {
    await early?.open.close();
    const reason = `No target has its credentials in this environment: ${project.warnings.filter((w) => w.rule === TARGET_SKIPPED).map((w) => `${w.target} (${w.message.replace(/^not planned: /, '')})`).join(', ')}.`;
    io.err(`Plan skipped. ${reason}\n`);
    if (github) {
      const { postSkippedComment, toStderr } = await import('./github.ts');
      await postSkippedComment(reason, github, toStderr(io));
    }
    return ExitCode.ok;
  }
  const { open, observed } = await openRunTargets(project, early, options.cwd, io, 'apiproducts plan');
  try {
    const { makePlan, printAnnotations, renderPlanJson, renderPlanMarkdown, renderPlanText, postPlanComment, toStderr } = await planning();
    // Masked before anything is rendered, so that the plan file's digest covers what it shows.
    const plan = io.secrets.maskDeep(await makePlan(project, open, { prune: options.prune || project.config.prune, ...(observed ? { observed } : {}) }));
    printAnnotations(plan.diagnostics, io.env, options.cwd, (text) => io.err(text));
    if (out) writePlanOut(out, options.cwd, renderPlanJson(plan));
    if (options.format === 'json') io.out(renderPlanJson(plan));
    else if (options.format === 'markdown') io.out(renderPlanMarkdown(plan));
    else {
      io.out(renderPlanText(plan, io.style));
      if (plan.changes.length) io.out(applyHint(options, project.targets.length < loadedTargets(project) ? project.targets.map((t) => t.name) : options.targets, plan));
    }
    if (github) await postPlanComment(plan, github, { planFile: options.out, destructiveLabel: options.destructiveLabel }, toStderr(io));
    return options.detailedExitCode && plan.changes.length > 0 ? ExitCode.changesPending : ExitCode.ok;
  } finally {
    await open.close();
  }
}

/** `--skip-missing-credentials`: drop the targets without credentials, each with a warning in the plan. */
function narrowToCredentials(project: ValidProject, options: PlanOptions, io: Io): ValidProject {
  if (!options.skipMissingCredentials) return project;
  const { targets, skipped } = targetsWithCredentials(project.targets, io.env, credentialVariables);
  return { ...project, targets, warnings: [...project.warnings, ...skipped] };
}

/** How many targets the run was about before `--skip-missing-credentials` dropped some. */
function loadedTargets(project: ValidProject): number {
  return project.targets.length + skippedTargets(project.warnings).length;
}

/**
 * The apply command to run next, with every flag that makes it the same run: where the project is
 * (`--chdir`, `--config`, `--products`), which targets, pruning, and `--allow-destructive` when the
 * plan holds high-risk changes (without it apply would skip them and exit 4).
 */
function applyHint(options: PlanOptions, targets: readonly string[], plan: Plan): string {
  const project = [...flag('--chdir', options.chdir), ...flag('--config', options.config), ...flag('--products', options.products)];
  const destructive = plan.changes.some((change) => change.risk === 'high') ? ['--allow-destructive'] : [];
  if (options.out) {
    return `\nSaved the plan to ${options.out}. To apply exactly this plan, run:\n  ${command(['npx', 'apiproducts', 'apply', options.out, ...project, ...destructive])}\n`;
  }
  const scope = [...targets.flatMap((t) => ['--target', t]), ...(options.prune ? ['--prune'] : [])];
  return `\nTo apply these changes, run:\n  ${command(['npx', 'apiproducts', 'apply', ...project, ...scope, ...destructive])}\n`;
}

function flag(name: string, value: string | undefined): string[] {
  return value === undefined ? [] : [name, value];
}

/** Words joined for a POSIX shell: anything beyond plain path characters is single-quoted. */
function command(words: readonly string[]): string {
  return words.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}
