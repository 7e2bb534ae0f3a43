import type { Octokit } from '@octokit/rest';
import { callGithub, isAuthor, startsWithMarker, whoAmI, type Author } from './client.ts';
import type { PullRequestContext } from './context.ts';

export interface StickyResult {
  action: 'created' | 'updated';
  id: number;
  url: string;
}

/**
 * Creates our comment on the pull request, or updates it in place: ours is the first comment whose
 * body starts with `marker` and whose author is the token's account (or, for Actions and App
 * tokens, a bot). A person's comment quoting the marker is never ours, wherever the marker is.
 */
export async function upsertStickyComment(octokit: Octokit, context: PullRequestContext, marker: string, body: string): Promise<StickyResult> {
  const author = await whoAmI(octokit, context);
  const existing = await findOwnComment(octokit, context, marker, author);
  const where = { owner: context.owner, repo: context.repo };
  if (existing) {
    const { data } = await callGithub(`PATCH /repos/${context.owner}/${context.repo}/issues/comments/${existing}`, context, () =>
      octokit.rest.issues.updateComment({ ...where, comment_id: existing, body }),
    );
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  const { data } = await callGithub(`POST /repos/${context.owner}/${context.repo}/issues/${context.pr}/comments`, context, () =>
    octokit.rest.issues.createComment({ ...where, issue_number: context.pr, body }),
  );
  return { action: 'created', id: data.id, url: data.html_url };
}

/** Pages through the pull request's comments (100 a page, following Link headers) until ours. */
async function findOwnComment(octokit: Octokit, context: PullRequestContext, marker: string, author: Author): Promise<number | undefined> {
  const what = `GET /repos/${context.owner}/${context.repo}/issues/${context.pr}/comments`;
  return callGithub(what, context, async () => {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { owner: context.owner, repo: context.repo, issue_number: context.pr, per_page: 100 });
    for await (const page of pages) {
      const ours = page.data.find((comment) => startsWithMarker(comment.body, marker) && isAuthor(author, comment.user));
      if (ours) return ours.id;
    }
    return undefined;
  });
}
