import type { Octokit } from '@octokit/rest';
import { UserError } from '../model/diagnostic.ts';
import type { GithubContext } from './context.ts';
import type { SecretMasker } from '../model/masker.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** An Octokit client for the context's API URL; it is the only holder of the token. Loaded only by GitHub commands. */
/**
 * `userAgent`: GitHub asks every client to name itself (`apiproducts/<version>`). `secrets`: the
 * run's masker; every comment and issue title and body goes through it on its way out, whichever
 * caller built it.
 */
export async function createGithubClient(context: GithubContext, userAgent: string, secrets?: SecretMasker): Promise<Octokit> {
  const { Octokit } = await import('@octokit/rest');
  const octokit = new Octokit({
    auth: context.token,
    baseUrl: context.apiUrl,
    userAgent,
    log: quiet,
  });
  if (secrets) {
    octokit.hook.before('request', (options) => {
      for (const field of ['body', 'title'] as const) {
        const value: unknown = options[field];
        if (typeof value === 'string') options[field] = secrets.mask(value);
      }
    });
  }
  return octokit;
}

/** Which comments and issues are ours: by login when the token can say who it is, else any bot account. */
export type Author = { login: string } | { bot: true };

/**
 * The token's account. `GET /user` answers for a personal or user token; GitHub Actions' own
 * token and GitHub App tokens get 403 there, and then write as a bot (`github-actions[bot]`).
 */
export async function whoAmI(octokit: Octokit, context: GithubContext): Promise<Author> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return { login: data.login };
  } catch (error) {
    if (statusOf(error) === 403) return { bot: true };
    throw githubError(error, 'GET /user', context);
  }
}

export function isAuthor(author: Author, user: { login?: string; type?: string } | null | undefined): boolean {
  if (!user) return false;
  return 'login' in author ? user.login === author.login : user.type === 'Bot';
}

/** The body's first line is exactly the marker (GitHub may store `\r\n`). */
export function startsWithMarker(body: string | null | undefined, marker: string): boolean {
  return typeof body === 'string' && body.startsWith(marker) && /^(\r?\n|$)/.test(body.slice(marker.length));
}

/** Runs one GitHub call; any failure becomes a one-line UserError naming the call, never the token. */
export async function callGithub<T>(what: string, context: GithubContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw githubError(error, what, context);
  }
}

/** A failed GitHub call: a UserError (one line, exit 1) that callers can tell from a failed plan. */
export class GithubApiError extends UserError {}

/** `GitHub API POST /repos/o/r/issues/7/comments failed: HTTP 403 …; fix`, on one line. */
export function githubError(error: unknown, what: string, context: GithubContext): UserError {
  if (error instanceof UserError) return error;
  const status = statusOf(error);
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replaceAll(context.token, '***').replace(/\s+/g, ' ').trim().slice(0, 300);
  const head = `GitHub API ${what} failed`;
  const make = (text: string) => new GithubApiError(text.replaceAll(context.token, '***'));
  if (status === 401) return make(`${head}: HTTP 401 ${message}; GITHUB_TOKEN was refused (expired or not a token for ${context.apiUrl})`);
  if (status === 403) {
    return make(
      `${head}: HTTP 403 ${message}; the token lacks a permission: give the job \`permissions: pull-requests: write\` (comments), \`actions: read\` (the reviewed plan's artifact) or \`issues: write\` (drift issues); a pull request from a fork gets a read-only token`,
    );
  }
  if (status === 404) return make(`${head}: HTTP 404 ${message}; check GITHUB_REPOSITORY (${context.owner}/${context.repo}) and that the token can see it`);
  if (status === 422) return make(`${head}: HTTP 422 ${message}`);
  if (status >= 500 && error instanceof Error && 'response' in error && error.response) {
    return make(`${head}: HTTP ${status} ${message}; GitHub is unavailable, re-run the job`);
  }
  if (status === 500 || status === 0) return make(`${head}: cannot reach ${context.apiUrl}: ${causeOf(error) ?? message}`);
  return make(`${head}: HTTP ${status} ${message}`);
}

function statusOf(error: unknown): number {
  return error !== null && typeof error === 'object' && 'status' in error && typeof error.status === 'number' ? error.status : 0;
}

function causeOf(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const nested = cause.cause instanceof Error ? ` (${(cause.cause as NodeJS.ErrnoException).code ?? cause.cause.message})` : '';
    return cause.message + nested;
  }
  return undefined;
}
