import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, UserError } from '../model/diagnostic.ts';
import type { Plan } from '../model/plan.ts';
import { identityMismatch, parsePlanFile } from '../plan/plan-file.ts';
import { findStaleObjects } from '../plan/stale.ts';
import { renderPlanJson } from '../render/plan-json.ts';
import { observeTargets } from '../observe/read-live.ts';
import { getProviderKind } from '../registry.ts';
import { applyMarker, buildApplyComment, sameEffects, type ApplyVerdict } from '../github/apply-comment.ts';
import { createGithubClient } from '../github/client.ts';
import { readGithubContext } from '../github/context.ts';
import { requireReviewedEnvironment } from '../github/environment.ts';
import { DEFAULT_DESTRUCTIVE_LABEL } from '../github/plan-comment.ts';
import { findMergedPullRequest, type MergedPullRequest } from '../github/pull-request.ts';
import { downloadReviewedPlan, type ReviewedPlanFile } from '../github/reviewed-plan.ts';
import { upsertStickyComment } from '../github/sticky-comment.ts';
import { runApply, type ApplyCommandOptions } from './apply.ts';
import type { Io } from './io.ts';
import { makePlan } from './make-plan.ts';
import { loadValidProject, type ValidProject } from './project.ts';
import { openTargets } from './session.ts';
import { tool } from './tool-info.ts';

/** The artifact `plan.yml` uploads, unless `--artifact` names another (one per target in a matrix). */
export const DEFAULT_PLAN_ARTIFACT = 'apiproducts-plan';

export interface GithubApplyOptions extends Omit<ApplyCommandOptions, 'planFile' | 'format' | 'autoApprove' | 'dryRun'> {
  pr?: string;
  /** `--sha`: the merged commit; default GITHUB_SHA. */
  sha?: string;
  artifact?: string;
  destructiveLabel?: string;
  /** `--destructive-environment NAME`: this job runs in that environment, whose required reviewers approved it. */
  destructiveEnvironment?: string;
}

/**
 * `apiproducts github apply`: on merge, apply the plan reviewed on the pull request, not a new one.
 * The merged pull request's head commit names the plan run (a successful one, of this repository);
 * its artifact is checked (digest, the configuration's digest, the same targets, nothing moved on
 * them since, and the same writes as a plan of the merged files made now). When it is missing or
 * stale the merge is re-planned, and applied only if the re-plan makes exactly the reviewed writes
 * (or none). High-risk changes wait for the label or `--allow-destructive` (given by a job behind
 * a protected environment): exit 2, nothing applied. Every outcome is one comment on the PR.
 */
export async function runGithubApply(options: GithubApplyOptions, io: Io): Promise<number> {
  const context = readGithubContext(io.env);
  const project = loadValidProject(options);
  const octokit = await createGithubClient(context, `${tool.name}/${tool.version}`, io.secrets);
  const pr = await findMergedPullRequest(octokit, context, options.sha ?? io.env.GITHUB_SHA?.trim(), options.pr);
  const artifact = options.artifact ?? DEFAULT_PLAN_ARTIFACT;
  io.err(`Pull request #${pr.pr}, head ${pr.headSha.slice(0, 7)}: looking for its plan (artifact ${artifact})\n`);
  const downloaded = await downloadReviewedPlan(octokit, context, pr.headSha, artifact);
  let verdict = await decide(downloaded, project, options, io);
  const label = options.destructiveLabel ?? DEFAULT_DESTRUCTIVE_LABEL;
  if (verdict.kind === 'applying' && verdict.plan.changes.some((change) => change.risk === 'high') && !options.allowDestructive && !pr.labels.includes(label)) {
    // Read only when it decides something: one request, for a plan with high-risk changes and no label.
    if (options.destructiveEnvironment) await requireReviewedEnvironment(octokit, context, options.destructiveEnvironment);
    else verdict = { kind: 'waiting', plan: verdict.plan, label };
  }
  const facts = { headSha: pr.headSha, tool, ...(downloaded.found ? { planRunUrl: downloaded.runUrl } : {}), ...(context.runUrl ? { runUrl: context.runUrl } : {}) };
  const comment = await upsertStickyComment(octokit, pr, applyMarker(project.targets.map((t) => t.name)), buildApplyComment(io.secrets.maskDeep(verdict), facts, project.targets.map((t) => t.name)));
  io.err(`${describe(verdict, label)} Commented on pull request #${pr.pr}: ${comment.url}\n`);
  if (verdict.kind === 'refused') return ExitCode.stalePlan;
  if (verdict.kind === 'waiting') return ExitCode.changesPending;
  if (verdict.kind === 'nothing') return ExitCode.ok;
  return applyFile(verdict.plan, downloaded, verdict.replannedBecause === undefined, options, pr, io);
}

/** The reviewed plan when it can be trusted as it is, else a re-plan, compared with it. */
async function decide(downloaded: ReviewedPlanFile, project: ValidProject, options: GithubApplyOptions, io: Io): Promise<ApplyVerdict> {
  let reviewed: Plan | undefined;
  let why: string | undefined;
  if (downloaded.found) {
    try {
      reviewed = parsePlanFile(downloaded.text, `plan.json (artifact ${downloaded.artifactName} of ${downloaded.runUrl})`);
      why = mismatch(reviewed, project);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      why = error.message;
    }
  } else why = downloaded.why;
  const open = await openTargets(project.targets, options.cwd, io, 'apiproducts github apply');
  try {
    const live = await observeTargets(open.providers);
    const trusted = !why ? reviewed : undefined;
    if (trusted) {
      const stale = findStaleObjects(trusted.changes, new Map([...live].map(([name, target]) => [name, target.live])));
      if (stale.length > 0) why = `${stale.length} object${stale.length === 1 ? '' : 's'} changed on the targets since the plan was made (${stale[0]!.target}: ${stale[0]!.key} ${stale[0]!.what})`;
    }
    if (why) io.err(`Re-planning: ${why}\n`);
    // Also when the reviewed plan is current: it is applied only if it is what these files plan
    // against these targets now, so a plan file that no run of this code would make (one crafted
    // and uploaded by a workflow edited on the branch) never applies. From the same reads, except
    // for targets whose reads depend on the desired states, which makePlan reads itself.
    const scoped = new Set([...open.providers].filter(([, provider]) => provider.readsByScope).map(([name]) => name));
    const observed = Promise.resolve(new Map([...live].filter(([name]) => !scoped.has(name))));
    const fresh = io.secrets.maskDeep(await makePlan(project, open, { prune: options.prune || project.config.prune, observed }));
    if (trusted && !why) {
      if (sameEffects(trusted, fresh)) return { kind: 'applying', plan: trusted };
      return { kind: 'refused', why: 'the reviewed plan is not what the merged files plan against the targets now, with nothing changed on them (it was not made by this version of apiproducts from these files)', fresh };
    }
    // Nothing left to do (the reviewed changes were applied another way): no write, so no refusal.
    if (fresh.changes.length === 0 || (reviewed !== undefined && sameEffects(reviewed, fresh))) {
      return fresh.changes.length ? { kind: 'applying', plan: fresh, replannedBecause: why! } : { kind: 'nothing', why: why! };
    }
    return { kind: 'refused', why: why!, fresh };
  } finally {
    await open.close();
  }
}

/** Why the reviewed plan is not the plan of this merge: other files, other targets, or the same names pointing elsewhere. */
function mismatch(plan: Plan, project: ValidProject): string | undefined {
  if (plan.configDigest !== project.digest) return `products/ or ${project.config.file} differ from the reviewed commit (another change was merged first, or the plan was made with other --products/--config)`;
  const planned = plan.targets.map((t) => t.name).sort();
  const now = project.targets.map((t) => t.name).sort();
  if (planned.join(',') !== now.join(',')) return `the reviewed plan covers ${planned.join(', ') || 'no target'}, this apply covers ${now.join(', ')} (a target's secrets were missing when it was planned, or --target differs)`;
  for (const target of project.targets) {
    const problem = identityMismatch(plan.targets.find((t) => t.name === target.name)!.identity, getProviderKind(target.provider)!.identify(target));
    if (problem) return `${target.name}: ${problem}`;
  }
  return undefined;
}

/** Applies the plan through `apply PLAN_FILE` (locks, stale check under the lock, report). The reviewed file goes as it came, digest and all. */
async function applyFile(plan: Plan, downloaded: ReviewedPlanFile, asDownloaded: boolean, options: GithubApplyOptions, pr: MergedPullRequest, io: Io): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'apiproducts-reviewed-'));
  const file = join(dir, `plan-${pr.headSha.slice(0, 12)}.json`);
  try {
    writeFileSync(file, asDownloaded && downloaded.found ? downloaded.text : renderPlanJson(plan));
    const { pr: _pr, sha: _sha, artifact: _artifact, destructiveLabel: _label, destructiveEnvironment: _environment, ...rest } = options;
    // The plan was reviewed, and its high-risk changes approved above (label, environment or flag).
    return await runApply({ ...rest, targets: [], planFile: file, format: 'text', autoApprove: true, dryRun: false, allowDestructive: true, prune: false }, io);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function describe(verdict: ApplyVerdict, label: string): string {
  if (verdict.kind === 'refused') return `Not applied: ${verdict.why}, and the re-plan differs from the reviewed plan.`;
  if (verdict.kind === 'waiting') return `Not applied: high-risk changes wait for the label ${label} or --allow-destructive (a protected environment's job).`;
  if (verdict.kind === 'nothing') return 'Nothing to apply.';
  return verdict.replannedBecause ? `Applying a re-plan identical to the reviewed plan (${verdict.replannedBecause}).` : 'Applying the reviewed plan.';
}
