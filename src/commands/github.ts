import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, UserError } from '../model/diagnostic.ts';
import type { Plan } from '../model/plan.ts';
import type { DriftReport } from '../plan/drift.ts';
import { parsePlanFile } from '../plan/plan-file.ts';
import { mergePlans } from '../github/merge-plans.ts';
import { renderDriftMarkdown } from '../render/drift.ts';
import { createGithubClient } from '../github/client.ts';
import { readGithubContext, readPullRequestContext, type GithubContext, type PullRequestContext } from '../github/context.ts';
import { syncDriftIssues } from '../github/drift-issues.ts';
import { buildFailureComment, buildPlanComment, buildSkippedComment, isEarlierPlanMarker, PLAN_MARKER } from '../github/plan-comment.ts';
import { escapeMarkdown } from '../render/markdown-escape.ts';
import { appendStepSummary, planSummaryChunks } from '../github/step-summary.ts';
import { upsertStickyComment } from '../github/sticky-comment.ts';
import type { Io } from './io.ts';
import type { SecretMasker } from '../model/masker.ts';
import type { ProjectOptions } from './project.ts';
import { tool } from './tool-info.ts';
import { NARROWED_ISSUES } from '../plan/drift.ts';

const userAgent = `${tool.name}/${tool.version}`;

/** Where the GitHub steps say what they did, and the run's masker: every body sent to GitHub is masked. */
export interface GithubSink {
  say: (text: string) => void;
  secrets: SecretMasker;
}

/** plan and drift report their GitHub steps on stderr, so that stdout stays the plan or report. */
export function toStderr(io: Io): GithubSink {
  return { say: (text) => io.err(text), secrets: io.secrets };
}

export interface GithubOptions extends ProjectOptions {
  /** `--plan FILE`, repeatable: the plan file(s) to comment; several (one per target, a matrix) make one comment. */
  plan?: string[];
  /** `--skipped REASON`: comment that the plan was skipped, and why. */
  skipped?: string;
  /** `--report FILE`: a drift report (`drift --format json`). */
  report?: string;
  /** `--pr NUMBER`: instead of the pull request of GITHUB_EVENT_PATH. */
  pr?: string;
  /** `--destructive-label NAME`: the label that approves high-risk changes on merge. */
  destructiveLabel?: string;
}

/** `apiproducts github comment|drift-issue`: the pull-request and issue side of the workflows. */
export async function runGithub(subcommand: string | undefined, options: GithubOptions, io: Io): Promise<number> {
  if (subcommand === 'comment') {
    if (Boolean(options.plan?.length) === Boolean(options.skipped)) throw new UserError('github comment needs exactly one of --plan FILE or --skipped REASON');
    if (options.report) throw new UserError('github comment does not take --report (that is for `github drift-issue`)');
    const context = readPullRequestContext(io.env, options.pr);
    if (options.skipped) {
      await postSkippedComment(options.skipped, context, { say: io.out, secrets: io.secrets });
      return ExitCode.ok;
    }
    const files = options.plan!;
    const plan = mergePlans(files.map((file) => ({ plan: parsePlanFile(readText(file, options.cwd, 'plan file'), file), file })));
    await postPlanComment(plan, context, { planFile: files.join(', '), destructiveLabel: options.destructiveLabel }, { say: io.out, secrets: io.secrets });
    return ExitCode.ok;
  }
  if (subcommand === 'drift-issue') {
    if (!options.report) throw new UserError('github drift-issue needs --report FILE (the output of `apiproducts drift --format json`)');
    if (options.plan || options.skipped || options.pr) throw new UserError('github drift-issue takes --report FILE only');
    const context = readGithubContext(io.env);
    const report = parseDriftReport(readText(options.report, options.cwd, 'drift report'), options.report);
    if (report.products?.length) throw new UserError(`${options.report} covers only --product ${report.products.join(', ')}: ${NARROWED_ISSUES}`);
    await postDriftIssues(report, context, { say: io.out, secrets: io.secrets });
    return ExitCode.ok;
  }
  throw new UserError(`github needs a subcommand: comment, apply or drift-issue (got ${subcommand ? `"${subcommand}"` : 'none'}); see \`apiproducts github --help\``);
}

/** Creates or updates the sticky plan comment, and appends the full plan to the step summary. */
export async function postPlanComment(
  unmasked: Plan,
  context: PullRequestContext,
  { planFile, destructiveLabel }: { planFile?: string | undefined; destructiveLabel?: string | undefined },
  { say, secrets }: GithubSink,
): Promise<void> {
  // The data is masked before it is rendered: Markdown escapes a token's `_`, which no mask of the text would find.
  const plan = secrets.maskDeep(unmasked);
  const comment = buildPlanComment(plan, { tool, ...facts(context), ...(planFile ? { planFile } : {}), ...(destructiveLabel ? { destructiveLabel } : {}) });
  if (context.stepSummary) {
    const elsewhere = planFile ? `the plan file ${escapeMarkdown(planFile)} (the run's artifact) has every change` : 'run `apiproducts plan --out plan.json` for every change';
    appendStepSummary(context.stepSummary, planSummaryChunks(plan, 'apiproducts plan').map((chunk) => secrets.mask(chunk)), elsewhere);
  }
  const result = await upsertStickyComment(await createGithubClient(context, userAgent, secrets), context, comment.marker, comment.body, isEarlierPlanMarker);
  const size = `${comment.body.length.toLocaleString('en-US')} characters${comment.truncated ? ', shortened: the full plan is in the step summary' : ''}`;
  say(`${result.action === 'created' ? 'Commented the plan on' : 'Updated the plan comment on'} pull request #${context.pr} (${size}): ${result.url}\n`);
}

/** The plan was not run (a fork's pull request, no credentials): the comment says so and why. */
export async function postSkippedComment(reason: string, context: PullRequestContext, { say, secrets }: GithubSink): Promise<void> {
  const body = buildSkippedComment(reason, { tool, ...facts(context) });
  const result = await upsertStickyComment(await createGithubClient(context, userAgent, secrets), context, PLAN_MARKER, body, isEarlierPlanMarker);
  say(`${result.action === 'created' ? 'Commented on' : 'Updated the comment on'} pull request #${context.pr} (plan skipped): ${result.url}\n`);
}

/** After a failed plan: the comment shows the errors instead of an older plan. Never hides the original error. */
export async function postFailureComment(error: UserError, context: PullRequestContext, { say, secrets }: GithubSink): Promise<void> {
  const body = buildFailureComment(secrets.mask(error.message), secrets.maskDeep(error.diagnostics), { tool, ...facts(context) });
  try {
    const result = await upsertStickyComment(await createGithubClient(context, userAgent, secrets), context, PLAN_MARKER, body, isEarlierPlanMarker);
    say(`Reported the failed plan on pull request #${context.pr}: ${result.url}\n`);
  } catch (commentError) {
    say(`Could not report the failed plan on the pull request: ${(commentError as Error).message}\n`);
  }
}

/** Opens, updates or closes one drift issue per target of the report, and appends the report to the step summary. */
export async function postDriftIssues(unmasked: DriftReport, context: GithubContext, { say, secrets }: GithubSink): Promise<void> {
  const report = secrets.maskDeep(unmasked);
  if (context.stepSummary) {
    const chunks = ['## apiproducts drift\n\n', ...renderDriftMarkdown(report).split('\n').map((line) => line + '\n')];
    appendStepSummary(context.stepSummary, chunks.map((chunk) => secrets.mask(chunk)), 'run `apiproducts drift` for the whole report');
  }
  const outcomes = await syncDriftIssues(await createGithubClient(context, userAgent, secrets), context, report, { tool, ...facts(context) });
  for (const outcome of outcomes) {
    const issue = outcome.number ? ` issue #${outcome.number}: ${outcome.url}` : '';
    const what = { opened: `drift: opened${issue}`, updated: `drift: updated${issue}`, closed: `no drift: closed${issue}`, none: 'no drift, no open issue' }[outcome.action];
    say(`${outcome.target}: ${what}\n`);
  }
}

function facts(context: GithubContext & { headSha?: string }): { runUrl?: string; headSha?: string } {
  return { ...(context.runUrl ? { runUrl: context.runUrl } : {}), ...(context.headSha ? { headSha: context.headSha } : {}) };
}

function readText(file: string, cwd: string, what: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function parseDriftReport(text: string, file: string): DriftReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} is not a drift report: ${(error as Error).message}`);
  }
  const report = value as Partial<DriftReport> | null;
  const ok =
    report !== null && typeof report === 'object' && typeof report.createdAt === 'string' && Array.isArray(report.items) && Array.isArray(report.targets) &&
    report.targets.every((t) => t && typeof t.name === 'string') && report.items.every((i) => i && typeof i.target === 'string' && typeof i.key === 'string' && Array.isArray(i.fields));
  if (!ok) throw new UserError(`${file} is not a drift report made by \`apiproducts drift --format json\``);
  return report as DriftReport;
}
