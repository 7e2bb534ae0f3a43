import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createGithubClient } from '../../src/github/client.ts';
import { readPullRequestContext } from '../../src/github/context.ts';
import { isEarlierPlanMarker, PLAN_MARKER } from '../../src/github/plan-comment.ts';
import { upsertStickyComment } from '../../src/github/sticky-comment.ts';
import { BOT, FakeGithub } from './helpers/fake-github.ts';
import { githubEnv, GITHUB_TOKEN } from './helpers/github-env.ts';

const MARKER = PLAN_MARKER;
const EARLIER = (targets: string) => `<!-- apiproducts:plan targets=${targets} -->`;

async function withFake(options: { login?: string; maxPerPage?: number; prefix?: string }, body: (fake: FakeGithub) => Promise<void>): Promise<void> {
  const fake = await new FakeGithub({ token: GITHUB_TOKEN, ...options }).start();
  try {
    await body(fake);
  } finally {
    await fake.close();
  }
}

async function upsert(fake: FakeGithub, text: string, marker = MARKER) {
  const context = readPullRequestContext(githubEnv(fake));
  return upsertStickyComment(await createGithubClient(context, 'apiproducts/test'), context, marker, `${marker}\n${text}`, isEarlierPlanMarker);
}

test('first run creates the comment; the second updates it in place', () =>
  withFake({}, async (fake) => {
    const first = await upsert(fake, 'plan one');
    assert.is(first.action, 'created');
    const second = await upsert(fake, 'plan two');
    assert.is(second.action, 'updated');
    assert.is(second.id, first.id);
    assert.is(fake.commentsOn(7).length, 1);
    assert.is(fake.commentsOn(7)[0]!.body, `${MARKER}\nplan two`);
    assert.ok(fake.requests.every((r) => r.authorization === `token ${GITHUB_TOKEN}`));
  }));

test('ours on page 3 of 3 is found by following Link headers, past comments that quote the marker', () =>
  withFake({ maxPerPage: 2 }, async (fake) => {
    fake.addComment(7, 'LGTM');
    fake.addComment(7, `How does it find its comment?\n\`\`\`\n${MARKER}\n\`\`\``, { login: 'alice', type: 'User' });
    fake.addComment(7, `${MARKER}\nA person pasting the marker on the first line is still not the bot.`, { login: 'mallory', type: 'User' });
    fake.addComment(7, `<!-- apiproducts:drift target=x -->\nanother kind of comment of ours`, BOT);
    const ours = fake.addComment(7, `${MARKER}\nold plan`, BOT);
    const result = await upsert(fake, 'new plan');
    assert.is(result.action, 'updated');
    assert.is(result.id, ours.id);
    assert.is(fake.commentsOn(7).length, 5);
    assert.is(fake.commentsOn(7)[2]!.body, `${MARKER}\nA person pasting the marker on the first line is still not the bot.`);
    const pages = fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/comments'));
    assert.is(pages.length, 3, pages.map((p) => p.path).join(' '));
    assert.match(pages[2]!.path, 'page=3');
  }));

test('comments of earlier versions (one per target set) are taken over: the first is updated, the rest deleted', () =>
  withFake({}, async (fake) => {
    fake.addComment(7, 'LGTM');
    const first = fake.addComment(7, `${EARLIER('api7-prod,apigee-prod')}\n**❌ The plan failed:** stale`, BOT);
    fake.addComment(7, `${EARLIER('api7-prod')}\nthe plan with --skip-missing-credentials`, BOT);
    fake.addComment(7, `${EARLIER('api7-prod')}\nquoted by a person`, { login: 'alice', type: 'User' });
    const result = await upsert(fake, 'the latest plan');
    assert.equal({ action: result.action, id: result.id, removed: result.removed }, { action: 'updated', id: first.id, removed: 1 });
    assert.equal(fake.commentsOn(7).map((c) => c.body.split('\n').at(-1)), ['LGTM', 'the latest plan', 'quoted by a person']);
    assert.is(fake.requests.filter((r) => r.method === 'DELETE').length, 1);
    const again = await upsert(fake, 'and again');
    assert.equal({ id: again.id, removed: again.removed }, { id: first.id, removed: 0 });
  }));

test('two comments with the current marker (two runs raced to create one): the newer is deleted', () =>
  withFake({}, async (fake) => {
    const older = fake.addComment(7, `${MARKER}\nrun 1`, BOT);
    fake.addComment(7, `${MARKER}\nrun 2`, BOT);
    const result = await upsert(fake, 'run 3');
    assert.is(result.id, older.id);
    assert.equal(fake.commentsOn(7).map((c) => c.body), [`${MARKER}\nrun 3`]);
  }));

test('with a personal token, ours is the token owner\'s comment, not any bot\'s', () =>
  withFake({ login: 'release-bot-user' }, async (fake) => {
    fake.addComment(7, `${MARKER}\nfrom github-actions`, BOT);
    const first = await upsert(fake, 'from the user');
    assert.is(first.action, 'created');
    assert.is(fake.commentsOn(7)[1]!.user.login, 'release-bot-user');
    assert.is((await upsert(fake, 'again')).id, first.id);
    assert.is(fake.commentsOn(7)[0]!.body, `${MARKER}\nfrom github-actions`);
  }));

test('GITHUB_API_URL with a path (GitHub Enterprise Server /api/v3) is honoured, paging included', () =>
  withFake({ prefix: '/api/v3', maxPerPage: 1 }, async (fake) => {
    fake.addComment(7, 'first');
    fake.addComment(7, `${MARKER}\nours`, BOT);
    assert.match(fake.url, /\/api\/v3$/);
    assert.is((await upsert(fake, 'updated')).action, 'updated');
    assert.is(fake.commentsOn(7)[1]!.body, `${MARKER}\nupdated`);
  }));

test('the pull request comes from GITHUB_EVENT_PATH, or --pr; missing pieces are named', () =>
  withFake({}, async (fake) => {
    assert.is(readPullRequestContext(githubEnv(fake, { pr: 12 })).pr, 12);
    assert.is(readPullRequestContext(githubEnv(fake, { pr: null }), '31').pr, 31);
    assert.throws(() => readPullRequestContext(githubEnv(fake, { pr: null })), /GITHUB_EVENT_PATH is not set/);
    assert.throws(() => readPullRequestContext(githubEnv(fake, { token: null })), /GITHUB_TOKEN is not set/);
    assert.throws(() => readPullRequestContext({ ...githubEnv(fake), GITHUB_REPOSITORY: '' }), /GITHUB_REPOSITORY is not set/);
    assert.throws(() => readPullRequestContext({ ...githubEnv(fake), GITHUB_API_URL: 'http://github.internal/api/v3' }), /must be https/);
    assert.throws(() => readPullRequestContext(githubEnv(fake), 'seven'), /--pr must be a pull request number/);
  }));

test.run();
