import type { Octokit } from '@octokit/rest';
import type { DriftReport } from '../plan/drift.ts';
import { callGithub, isAuthor, startsWithMarker, whoAmI, type Author } from './client.ts';
import type { GithubContext } from './context.ts';
import { buildDriftIssueBody, buildDriftResolvedComment, driftMarker, driftTitle, type DriftFacts } from './drift-body.ts';

export interface DriftIssueOutcome {
  target: string;
  action: 'opened' | 'updated' | 'closed' | 'none';
  number?: number;
  url?: string;
}

interface OpenIssue {
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
}

/**
 * One issue per target of the report, titled "Drift detected: <target>": opened when the target
 * drifts, updated in place while it still does, commented on and closed once it matches Git.
 * Targets the report does not cover are left alone.
 */
export async function syncDriftIssues(octokit: Octokit, context: GithubContext, report: DriftReport, facts: DriftFacts): Promise<DriftIssueOutcome[]> {
  const author = await whoAmI(octokit, context);
  const open = await listOwnOpenIssues(octokit, context, author);
  const repo = { owner: context.owner, repo: context.repo };
  const path = `/repos/${context.owner}/${context.repo}/issues`;
  const outcomes: DriftIssueOutcome[] = [];
  for (const target of report.targets.map((t) => t.name)) {
    const marker = driftMarker(target);
    const existing = open.find((issue) => startsWithMarker(issue.body, marker));
    const drifted = report.items.some((item) => item.target === target);
    if (drifted) {
      const body = buildDriftIssueBody(report, target, facts);
      const title = driftTitle(target);
      if (existing) {
        await callGithub(`PATCH ${path}/${existing.number}`, context, () => octokit.rest.issues.update({ ...repo, issue_number: existing.number, title, body }));
        outcomes.push({ target, action: 'updated', number: existing.number, url: existing.html_url });
      } else {
        const { data } = await callGithub(`POST ${path}`, context, () => octokit.rest.issues.create({ ...repo, title, body }));
        outcomes.push({ target, action: 'opened', number: data.number, url: data.html_url });
      }
    } else if (existing) {
      const body = buildDriftResolvedComment(report, target, facts);
      await callGithub(`POST ${path}/${existing.number}/comments`, context, () => octokit.rest.issues.createComment({ ...repo, issue_number: existing.number, body }));
      await callGithub(`PATCH ${path}/${existing.number}`, context, () =>
        octokit.rest.issues.update({ ...repo, issue_number: existing.number, state: 'closed', state_reason: 'completed' }),
      );
      outcomes.push({ target, action: 'closed', number: existing.number, url: existing.html_url });
    } else {
      outcomes.push({ target, action: 'none' });
    }
  }
  return outcomes;
}

/** Open issues (not pull requests) written by the token's account, every page. */
async function listOwnOpenIssues(octokit: Octokit, context: GithubContext, author: Author): Promise<OpenIssue[]> {
  return callGithub(`GET /repos/${context.owner}/${context.repo}/issues`, context, async () => {
    const issues: OpenIssue[] = [];
    const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
      owner: context.owner,
      repo: context.repo,
      state: 'open',
      per_page: 100,
      ...('login' in author ? { creator: author.login } : {}),
    });
    for await (const page of pages) {
      for (const issue of page.data) if (!issue.pull_request && isAuthor(author, issue.user)) issues.push(issue);
    }
    return issues;
  });
}
