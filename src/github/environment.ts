import type { Octokit } from '@octokit/rest';
import { UserError } from '../model/diagnostic.ts';
import { callGithub } from './client.ts';
import type { GithubContext } from './context.ts';

/**
 * A job that names a GitHub environment runs only once that environment's required reviewers
 * approved it; but a workflow that names an environment which does not exist creates it, with no
 * protection, so a job "behind" it approves nothing. The environment is read back
 * (GET /repos/{owner}/{repo}/environments/{environment_name},
 * https://docs.github.com/en/rest/deployments/environments#get-an-environment) and accepted as an
 * approval only when one of its `protection_rules` is `required_reviewers` with a reviewer.
 */
export async function requireReviewedEnvironment(octokit: Octokit, context: GithubContext, name: string): Promise<void> {
  const what = `GET /repos/${context.owner}/${context.repo}/environments/${name}`;
  const { data } = await callGithub(what, context, () => octokit.rest.repos.getEnvironment({ owner: context.owner, repo: context.repo, environment_name: name }));
  const rules = (data.protection_rules ?? []) as { type?: string; reviewers?: unknown[] }[];
  if (rules.some((rule) => rule.type === 'required_reviewers' && Array.isArray(rule.reviewers) && rule.reviewers.length > 0)) return;
  throw new UserError(
    `environment ${name} has no required reviewers, so a job in it approves nothing: high-risk changes were not applied. Add required reviewers under Settings → Environments → ${name}, or approve with the pull request's label`,
  );
}
