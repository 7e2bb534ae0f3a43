import { tempDir } from '../../helpers/temp.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeGithub } from './fake-github.ts';

export const GITHUB_TOKEN = 'ghs_fakeGithubToken0123456789sentinel';
export const HEAD_SHA = '0123456789abcdef0123456789abcdef01234567';

/**
 * The variables GitHub Actions sets for a pull_request job, pointed at the fake server: the
 * event payload is written to a temp file, the step summary is a temp file too.
 */
export function githubEnv(fake: FakeGithub, options: { pr?: number | null; token?: string | null; summary?: string; extra?: Record<string, string> } = {}): Record<string, string> {
  const dir = tempDir('apiproducts-gh-');
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: '4242',
    GITHUB_STEP_SUMMARY: options.summary ?? join(dir, 'step-summary.md'),
    ...options.extra,
  };
  if (options.token !== null) env.GITHUB_TOKEN = options.token ?? GITHUB_TOKEN;
  if (options.pr !== null) {
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ action: 'synchronize', pull_request: { number: options.pr ?? 7, head: { sha: HEAD_SHA } } }));
    env.GITHUB_EVENT_PATH = event;
    env.GITHUB_EVENT_NAME = 'pull_request';
  }
  return env;
}

export const RUN_URL = 'https://github.example/acme/portal/actions/runs/4242';
