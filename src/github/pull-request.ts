import type { Octokit } from '@octokit/rest';
import { UserError } from '../model/diagnostic.ts';
import { callGithub } from './client.ts';
import type { GithubContext, PullRequestContext } from './context.ts';

/** The merged pull request an apply is about: its number, the head commit reviewers planned, its labels. */
export interface MergedPullRequest extends PullRequestContext {
  headSha: string;
  labels: string[];
}

/**
 * `--pr N`: that pull request (GET /repos/{owner}/{repo}/pulls/{pull_number},
 * https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request). Otherwise the pull request
 * the pushed commit `sha` came from (GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls,
 * https://docs.github.com/en/rest/commits/commits#list-pull-requests-associated-with-a-commit):
 * the merged one whose merge commit is `sha`, else the only merged one. A push that no pull
 * request explains (a direct push to main) has no reviewed plan: an error naming the commit.
 */
export async function findMergedPullRequest(octokit: Octokit, context: GithubContext, sha: string | undefined, pr: string | undefined): Promise<MergedPullRequest> {
  const where = { owner: context.owner, repo: context.repo };
  if (pr !== undefined) {
    if (!/^[1-9]\d*$/.test(pr)) throw new UserError(`--pr must be a pull request number, got "${pr}"`);
    const { data } = await callGithub(`GET /repos/${context.owner}/${context.repo}/pulls/${pr}`, context, () => octokit.rest.pulls.get({ ...where, pull_number: Number(pr) }));
    return { ...context, pr: data.number, headSha: data.head.sha, labels: data.labels.map((label) => label.name) };
  }
  if (!sha || !/^[0-9a-f]{40}$/.test(sha)) {
    throw new UserError(`the merged commit is unknown: GITHUB_SHA is ${sha ? `"${sha}", not a commit SHA` : 'not set'}; run on push to the default branch, or pass --sha SHA or --pr NUMBER`);
  }
  const { data } = await callGithub(`GET /repos/${context.owner}/${context.repo}/commits/${sha}/pulls`, context, () =>
    octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...where, commit_sha: sha, per_page: 100 }),
  );
  const merged = data.filter((candidate) => candidate.merged_at);
  const chosen = merged.find((candidate) => candidate.merge_commit_sha === sha) ?? (merged.length === 1 ? merged[0] : undefined);
  if (!chosen) {
    throw new UserError(
      `commit ${sha.slice(0, 7)} is not the merge of a pull request (${merged.length ? `${merged.length} merged pull requests contain it` : 'none contains it'}), so there is no reviewed plan to apply; merge through a pull request, or pass --pr NUMBER`,
    );
  }
  return { ...context, pr: chosen.number, headSha: chosen.head.sha, labels: chosen.labels.map((label) => label.name) };
}
