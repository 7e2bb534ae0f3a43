import { readFileSync } from 'node:fs';
import { UserError } from '../model/diagnostic.ts';

/** Where a GitHub command talks to and about, from the variables GitHub Actions sets. */
export interface GithubContext {
  owner: string;
  repo: string;
  /** Never printed; only the Octokit client holds it. */
  token: string;
  /** `GITHUB_API_URL` (GitHub Enterprise Server: `https://ghes.example.com/api/v3`), default api.github.com. */
  apiUrl: string;
  /** `GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID`, when running in a workflow. */
  runUrl?: string;
  /** `GITHUB_STEP_SUMMARY`, when running in a workflow step. */
  stepSummary?: string;
}

/** A context about one pull request. */
export interface PullRequestContext extends GithubContext {
  pr: number;
  /** The head commit the plan is about, when the event says. */
  headSha?: string;
}

const SETUP = 'in a workflow, GitHub Actions sets it; elsewhere export it';

/** The repository, token and API URL; each missing variable is named. */
export function readGithubContext(env: NodeJS.ProcessEnv): GithubContext {
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) {
    throw new UserError(
      'GITHUB_TOKEN is not set: apiproducts needs it to write to GitHub. In a workflow, add `env: GITHUB_TOKEN: ${{ github.token }}` to the step (and the permission the command needs, see `apiproducts github --help`)',
    );
  }
  const repository = env.GITHUB_REPOSITORY?.trim();
  if (!repository) throw new UserError(`GITHUB_REPOSITORY is not set (owner/name of the repository); ${SETUP}`);
  const [owner, repo, ...extra] = repository.split('/');
  if (!owner || !repo || extra.length) throw new UserError(`GITHUB_REPOSITORY must be owner/name, got "${repository}"`);
  const apiUrl = (env.GITHUB_API_URL?.trim() || 'https://api.github.com').replace(/\/+$/, '');
  checkApiUrl(apiUrl);
  const server = env.GITHUB_SERVER_URL?.trim().replace(/\/+$/, '');
  const runId = env.GITHUB_RUN_ID?.trim();
  return {
    owner,
    repo,
    token,
    apiUrl,
    ...(server && runId && /^\d+$/.test(runId) ? { runUrl: `${server}/${owner}/${repo}/actions/runs/${runId}` } : {}),
    ...(env.GITHUB_STEP_SUMMARY?.trim() ? { stepSummary: env.GITHUB_STEP_SUMMARY.trim() } : {}),
  };
}

/**
 * The repository context plus the pull request: `--pr` when given, else the number in the event
 * payload at `GITHUB_EVENT_PATH` (`pull_request`, `pull_request_target`, or a comment on a PR).
 */
export function readPullRequestContext(env: NodeJS.ProcessEnv, pr?: string): PullRequestContext {
  const context = readGithubContext(env);
  if (pr !== undefined) {
    if (!/^[1-9]\d*$/.test(pr)) throw new UserError(`--pr must be a pull request number, got "${pr}"`);
    return { ...context, pr: Number(pr) };
  }
  const eventPath = env.GITHUB_EVENT_PATH?.trim();
  if (!eventPath) {
    throw new UserError(`GITHUB_EVENT_PATH is not set, so there is no pull request to comment on; run in a pull_request workflow or pass --pr NUMBER`);
  }
  let event: EventPayload;
  try {
    event = JSON.parse(readFileSync(eventPath, 'utf8')) as EventPayload;
  } catch (error) {
    throw new UserError(`GITHUB_EVENT_PATH (${eventPath}) is not readable JSON: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const number = event?.pull_request?.number ?? (event?.issue?.pull_request ? event.issue.number : undefined);
  if (typeof number !== 'number') {
    const name = env.GITHUB_EVENT_NAME ? `a ${env.GITHUB_EVENT_NAME} event` : 'an event';
    throw new UserError(`GITHUB_EVENT_PATH holds ${name} without a pull request: run on pull_request, or pass --pr NUMBER`);
  }
  const headSha = event.pull_request?.head?.sha;
  return { ...context, pr: number, ...(typeof headSha === 'string' ? { headSha } : {}) };
}

interface EventPayload {
  pull_request?: { number?: number; head?: { sha?: string } };
  issue?: { number?: number; pull_request?: unknown };
}

/** The token goes over TLS only, except to this machine (tests, a local proxy). */
function checkApiUrl(apiUrl: string): void {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new UserError(`GITHUB_API_URL is not a URL: "${apiUrl}"`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.hostname.startsWith('127.');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new UserError(`GITHUB_API_URL must be https:// (got ${url.protocol}//${url.host}): the token would travel in clear text`);
  }
}
