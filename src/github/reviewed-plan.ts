import type { Octokit } from '@octokit/rest';
import { callGithub } from './client.ts';
import type { GithubContext } from './context.ts';
import { readZipEntry, listZipEntries, ZipError } from './zip.ts';

/** A plan file is JSON text; anything this large is not one (a 10,000-product plan is a few MB). */
export const MAX_PLAN_BYTES = 64 * 1024 * 1024;

/** The plan file a pull request's plan workflow uploaded for one commit, or why there is none. */
export type ReviewedPlanFile =
  | { found: true; text: string; runId: number; runUrl: string; artifactName: string }
  | { found: false; why: string };

/**
 * The newest successful `pull_request` run of this repository for the head commit that kept an
 * artifact named `artifactName`, unpacked. The run's `head_sha` is the commit the plan was made for, set by
 * GitHub, not by the plan. Calls, all readable with `permissions: actions: read`:
 * - GET /repos/{owner}/{repo}/actions/runs?head_sha&event&status, 100 a page
 *   (https://docs.github.com/en/rest/actions/workflow-runs#list-workflow-runs-for-a-repository);
 * - GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts?name, per run until one has it
 *   (https://docs.github.com/en/rest/actions/artifacts#list-workflow-run-artifacts);
 * - GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/zip: a 302 to a short-lived URL on
 *   another host, which fetch follows without the Authorization header
 *   (https://docs.github.com/en/rest/actions/artifacts#download-an-artifact).
 * Expired artifacts (`expired: true`, after the retention days) are passed over.
 */
export async function downloadReviewedPlan(octokit: Octokit, context: GithubContext, headSha: string, artifactName: string): Promise<ReviewedPlanFile> {
  const where = { owner: context.owner, repo: context.repo };
  const runs = await callGithub(`GET /repos/${context.owner}/${context.repo}/actions/runs?head_sha=${headSha}`, context, () =>
    octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, { ...where, head_sha: headSha, event: 'pull_request', status: 'completed', per_page: 100 }),
  );
  // Newest first by id (ids only grow), whatever order the list came in. Only a run that succeeded
  // showed its plan: `plan --github-comment` fails when the comment is not posted, and the
  // workflow may still upload the file it wrote before. Only a run of this repository's own code:
  // a fork's pull_request run runs the fork's workflow file, which can upload any plan it likes.
  // (`conclusion`, `head_repository.full_name` of a workflow run: same page as above.)
  const fullName = `${context.owner}/${context.repo}`.toLowerCase();
  const ofCommit = runs.filter((run) => run.head_sha === headSha);
  const candidates = ofCommit
    .filter((run) => run.conclusion === 'success' && run.head_repository?.full_name?.toLowerCase() === fullName)
    .sort((a, b) => b.id - a.id);
  let expired = 0;
  for (const run of candidates) {
    const artifacts = await callGithub(`GET /repos/${context.owner}/${context.repo}/actions/runs/${run.id}/artifacts`, context, () =>
      octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, { ...where, run_id: run.id, name: artifactName, per_page: 100 }),
    );
    const named = artifacts.filter((artifact) => artifact.name === artifactName);
    const artifact = named.find((candidate) => !candidate.expired);
    if (!artifact) {
      expired += named.length;
      continue;
    }
    const runUrl = run.html_url;
    if (artifact.size_in_bytes > MAX_PLAN_BYTES) return { found: false, why: `artifact ${artifactName} of ${runUrl} is ${artifact.size_in_bytes} bytes, too large to be a plan file` };
    const { data } = await callGithub(`GET /repos/${context.owner}/${context.repo}/actions/artifacts/${artifact.id}/zip`, context, () =>
      octokit.rest.actions.downloadArtifact({ ...where, artifact_id: artifact.id, archive_format: 'zip' }),
    );
    try {
      const zip = Buffer.from(data as ArrayBuffer);
      const name = planEntry(listZipEntries(zip).map((entry) => entry.name));
      if (!name) return { found: false, why: `artifact ${artifactName} of ${runUrl} holds no plan file (plan.json)` };
      return { found: true, text: readZipEntry(zip, name, MAX_PLAN_BYTES)!.toString('utf8'), runId: run.id, runUrl, artifactName };
    } catch (error) {
      if (error instanceof ZipError) return { found: false, why: `artifact ${artifactName} of ${runUrl} is not a readable zip: ${error.message}` };
      throw error;
    }
  }
  const short = headSha.slice(0, 7);
  if (expired) return { found: false, why: `the artifact ${artifactName} of commit ${short} has expired (retention days of the plan workflow)` };
  const unsuccessful = ofCommit.length - candidates.length;
  return {
    found: false,
    why: candidates.length
      ? `no successful plan run of commit ${short} kept an artifact named ${artifactName}`
      : unsuccessful
        ? `no plan run of commit ${short} both succeeded and ran this repository's code (${unsuccessful} failed, was cancelled or came from a fork), so no plan was shown on the pull request as it is`
        : `no completed pull_request workflow run of commit ${short} was found (was the plan workflow run, and has it finished?)`,
  };
}

/** `plan.json`, or the only `.json` file of the artifact (a workflow that names its plan otherwise). */
function planEntry(names: string[]): string | undefined {
  if (names.includes('plan.json')) return 'plan.json';
  const json = names.filter((name) => name.endsWith('.json') && !name.includes('/'));
  return json.length === 1 ? json[0] : undefined;
}
