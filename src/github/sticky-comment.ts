import type { Octokit } from '@octokit/rest';
import { callGithub, isAuthor, startsWithMarker, whoAmI, type Author } from './client.ts';
import type { PullRequestContext } from './context.ts';

export interface StickyResult {
  action: 'created' | 'updated';
  id: number;
  url: string;
  /** Our older comments of the same kind (earlier markers, a second comment) that were deleted. */
  removed: number;
}

/**
 * Keeps exactly one comment of ours per pull request for `marker`. Ours is a comment whose body
 * starts with `marker`, or with a marker an earlier version wrote (`isEarlierMarker` on its first
 * line), and whose author is the token's account (or, for Actions and App tokens, a bot). A
 * person's comment quoting the marker is never ours, wherever the marker is. The first of ours is
 * updated in place (it keeps its place in the conversation); any other is deleted, so no stale
 * comment outlives a run.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  context: PullRequestContext,
  marker: string,
  body: string,
  isEarlierMarker: (firstLine: string) => boolean = () => false,
): Promise<StickyResult> {
  const author = await whoAmI(octokit, context);
  const ours = await findOwnComments(octokit, context, author, (text) => startsWithMarker(text, marker) || isEarlierMarker(text.split(/\r?\n/, 1)[0]!));
  const where = { owner: context.owner, repo: context.repo };
  const [keep, ...extra] = ours;
  for (const id of extra) {
    // https://docs.github.com/en/rest/issues/comments#delete-an-issue-comment
    await callGithub(`DELETE /repos/${context.owner}/${context.repo}/issues/comments/${id}`, context, () => octokit.rest.issues.deleteComment({ ...where, comment_id: id }));
  }
  if (keep !== undefined) {
    const { data } = await callGithub(`PATCH /repos/${context.owner}/${context.repo}/issues/comments/${keep}`, context, () =>
      octokit.rest.issues.updateComment({ ...where, comment_id: keep, body }),
    );
    return { action: 'updated', id: data.id, url: data.html_url, removed: extra.length };
  }
  const { data } = await callGithub(`POST /repos/${context.owner}/${context.repo}/issues/${context.pr}/comments`, context, () =>
    octokit.rest.issues.createComment({ ...where, issue_number: context.pr, body }),
  );
  return { action: 'created', id: data.id, url: data.html_url, removed: 0 };
}

/** Every page of the pull request's comments (100 a page, following Link headers): ours, oldest first. */
async function findOwnComments(octokit: Octokit, context: PullRequestContext, author: Author, marked: (body: string) => boolean): Promise<number[]> {
  const what = `GET /repos/${context.owner}/${context.repo}/issues/${context.pr}/comments`;
  return callGithub(what, context, async () => {
    const ids: number[] = [];
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { owner: context.owner, repo: context.repo, issue_number: context.pr, per_page: 100 });
    for await (const page of pages) {
      for (const comment of page.data) if (typeof comment.body === 'string' && marked(comment.body) && isAuthor(author, comment.user)) ids.push(comment.id);
    }
    return ids;
  });
}
