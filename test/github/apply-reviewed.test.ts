/**
 * Plan → merge → apply end to end: the plan workflow's artifact (a real zip served by the fake
 * GitHub over HTTP, downloaded through a 302 to another origin), the merged pull request found
 * by the pushed commit, and the sandbox emulators as targets.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyMarker } from '../../src/github/apply-comment.ts';
import { renderPlanJson } from '../../src/render/plan-json.ts';
import { copyExampleProject as copyWithNarrowing } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { FakeGithub } from './helpers/fake-github.ts';
import { githubEnv, GITHUB_TOKEN, HEAD_SHA } from './helpers/github-env.ts';
import { writeZip } from './helpers/zip-writer.ts';

/**
 * The example project with orders bound to both sandbox environments: the seeded live product has
 * `test` as well, and an update that removes it narrows what 3 apps reach (high risk). These
 * tests are about the reviewed plan, so their base plan has no high-risk change of its own.
 */
function copyExampleProject(): string {
  const cwd = copyWithNarrowing();
  const orders = join(cwd, 'products', 'orders.yaml');
  writeFileSync(orders, readFileSync(orders, 'utf8').replace('environments: [prod]', 'environments: [test, prod]'));
  return cwd;
}


const MERGE_SHA = 'fedcba9876543210fedcba9876543210fedcba98';

let fake: FakeGithub;
test.before(async () => {
  fake = await new FakeGithub({ token: GITHUB_TOKEN }).start();
});
test.after(async () => fake.close());
test.before.each(() => fake.reset());

/** The plan job of a pull request: plan, comment, and the artifact upload-artifact would keep. */
async function planPullRequest(cwd: string, args: string[] = []): Promise<string> {
  const planned = await runCli(['plan', '--github-comment', '--out', 'plan.json', ...args], { cwd, env: githubEnv(fake) });
  assert.is(planned.code, 0, planned.stderr);
  const text = readFileSync(join(cwd, 'plan.json'), 'utf8');
  const run = fake.actions.addRun({ head_sha: HEAD_SHA });
  fake.actions.addArtifact(run.id, 'apiproducts-plan', writeZip({ 'plan.json': text }));
  return text;
}

function merge(labels: string[] = []): void {
  fake.actions.addPull({ number: 7, head: { sha: HEAD_SHA }, merge_commit_sha: MERGE_SHA, merged_at: '2026-12-07T08:00:00Z', labels: labels.map((name) => ({ name })) });
}

/** The apply job on push to main: GITHUB_SHA is the merge commit, no pull request in the event. */
function applyMerged(cwd: string, args: string[] = []) {
  return runCli(['github', 'apply', ...args], { cwd, env: githubEnv(fake, { pr: null, extra: { GITHUB_SHA: MERGE_SHA, GITHUB_EVENT_NAME: 'push' } }) });
}

const applyComment = () => fake.commentsOn(7).find((c) => c.body.startsWith(applyMarker(['sandbox-api7', 'sandbox-apigee']) + '\n'))?.body ?? '';

/** The example applied, then a pull request unpublishing weather (a high-risk change), planned. */
async function plannedUnpublish(): Promise<string> {
  const cwd = copyExampleProject();
  assert.is((await runCli(['apply', '--auto-approve'], { cwd })).code, 0);
  const file = join(cwd, 'products', 'weather.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('status: published', 'status: draft'));
  await planPullRequest(cwd);
  return cwd;
}

async function pending(cwd: string): Promise<string> {
  const plan = await runCli(['plan'], { cwd });
  assert.is(plan.code, 0, plan.stderr);
  return plan.stdout;
}

test('merge applies the reviewed plan from the artifact of the PR head commit, fetched without leaking the token', async () => {
  const cwd = copyExampleProject();
  await planPullRequest(cwd);
  merge();
  const applied = await applyMerged(cwd);
  assert.is(applied.code, 0, applied.stderr);
  assert.not.match(applied.stderr, 'Re-planning');
  assert.match(applied.stderr, 'Pull request #7, head 0123456');
  assert.match(applied.stdout, 'Plan: 8 to create, 2 to update');
  assert.match(await pending(cwd), 'No changes.');
  assert.match(applyComment(), '**▶️ Applying the plan reviewed for 0123456 ([plan run](https://github.example/acme/portal/actions/runs/');
  assert.is(fake.commentsOn(7).length, 2, 'the plan comment stays as it was reviewed; the apply comment is its own');
  // One list of runs, one list of artifacts, one download: O(1) calls, whatever the PR's history.
  const paths = fake.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`);
  assert.equal(paths.filter((p) => p.includes('/actions/')), ['GET /repos/acme/portal/actions/runs', `GET /repos/acme/portal/actions/runs/${fake.actions.runs[0]!.id}/artifacts`, `GET /repos/acme/portal/actions/artifacts/${fake.actions.artifacts[0]!.id}/zip`]);
  assert.match(fake.requests.find((r) => r.path.startsWith('/repos/acme/portal/actions/runs?'))!.path, `head_sha=${HEAD_SHA}`);
  assert.equal(fake.actions.blobRequests.map((r) => r.authorization), [false], 'the redirect to the blob host carries no Authorization header');
  assert.not.ok((applied.stdout + applied.stderr).includes(GITHUB_TOKEN));
});

test('the newest plan run of the head commit wins; expired artifacts and other runs are passed over', async () => {
  const cwd = copyExampleProject();
  const text = await planPullRequest(cwd);
  const older = fake.actions.runs[0]!;
  const newer = fake.actions.addRun({ head_sha: HEAD_SHA });
  fake.actions.addArtifact(newer.id, 'apiproducts-plan', writeZip({ 'plan.json': text }, { stored: true }));
  const expired = fake.actions.addRun({ head_sha: HEAD_SHA });
  fake.actions.addArtifact(expired.id, 'apiproducts-plan', writeZip({ 'plan.json': '{}' }), true);
  fake.actions.addRun({ head_sha: HEAD_SHA, event: 'pull_request_target' });
  merge();
  const applied = await applyMerged(cwd);
  assert.is(applied.code, 0, applied.stderr);
  const downloads = fake.requests.filter((r) => r.path.endsWith('/zip'));
  assert.equal(downloads.map((r) => r.path), [`/repos/acme/portal/actions/artifacts/${fake.actions.artifacts[1]!.id}/zip`]);
  assert.ok(older.id < newer.id);
});

test('stale artifact: the files changed after the plan, the re-plan differs: nothing applied, exit 3, the PR says why', async () => {
  const cwd = copyExampleProject();
  await planPullRequest(cwd);
  const file = join(cwd, 'products', 'weather.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^displayName: .*$/m, 'displayName: Weather, merged after review'));
  merge();
  const applied = await applyMerged(cwd);
  assert.is(applied.code, 3, applied.stderr);
  assert.match(applied.stderr, 'Re-planning: products/ or apiproducts.yaml differ from the reviewed commit');
  assert.match(applyComment(), '**❌ Nothing was applied.** Products/ or apiproducts.yaml differ from the reviewed commit');
  assert.match(applyComment(), 'the new plan differs from the plan reviewed for 0123456');
  assert.match(await pending(cwd), 'Plan: 8 to create, 2 to update');
});

test('stale artifact, identical re-plan (a YAML comment moved): the re-plan is applied, and the PR says so', async () => {
  const cwd = copyExampleProject();
  await planPullRequest(cwd);
  const file = join(cwd, 'products', 'weather.yaml');
  writeFileSync(file, `# reviewed, then reformatted\n${readFileSync(file, 'utf8')}`);
  merge();
  const applied = await applyMerged(cwd);
  assert.is(applied.code, 0, applied.stderr);
  assert.match(applyComment(), '**▶️ Applying a re-plan identical to the plan reviewed for 0123456 ([plan run]');
  assert.match(await pending(cwd), 'No changes.');
});

test('live stale: a portal object moved after the review, so the re-plan differs: exit 3, nothing written', async () => {
  const cwd = copyExampleProject();
  await planPullRequest(cwd);
  const outOfBand = await runCli(['apply', '--auto-approve', '--product', 'weather'], { cwd });
  assert.is(outOfBand.code, 0, outOfBand.stderr);
  merge();
  const applied = await applyMerged(cwd);
  assert.is(applied.code, 3, applied.stderr);
  assert.match(applied.stderr, /Re-planning: \d+ objects? changed on the targets since the plan was made/);
  assert.match(applyComment(), 'Nothing was applied');
  // Everything the plan wanted applied another way since: the re-plan is empty, so nothing to apply, not a refusal.
  assert.is((await runCli(['apply', '--auto-approve'], { cwd })).code, 0);
  const done = await applyMerged(cwd);
  assert.is(done.code, 0, done.stderr);
  assert.match(applyComment(), '**✅ Nothing to apply.**');
});

test('missing artifact: re-planned; with changes it fails (exit 3), with none it passes', async () => {
  const cwd = copyExampleProject();
  merge();
  const missing = await applyMerged(cwd);
  assert.is(missing.code, 3, missing.stderr);
  assert.match(applyComment(), 'No completed pull\\_request workflow run of commit 0123456 was found');
  assert.match(await pending(cwd), 'Plan: 8 to create');
  assert.is((await runCli(['apply', '--auto-approve'], { cwd })).code, 0);
  const nothing = await applyMerged(cwd);
  assert.is(nothing.code, 0, nothing.stderr);
  assert.match(applyComment(), '**✅ Nothing to apply.**');
  assert.is(fake.commentsOn(7).length, 1, 'one apply comment, updated');
});

test('a tampered artifact (digest mismatch) is not trusted: re-planned and refused', async () => {
  const cwd = copyExampleProject();
  const text = await planPullRequest(cwd);
  fake.actions.artifacts[0]!.zip = writeZip({ 'plan.json': text.replace('"update"', '"create"') });
  merge();
  const applied = await applyMerged(cwd);
  assert.is(applied.code, 3, applied.stderr);
  assert.match(applyComment(), 'was modified after it was written');
});

test('high-risk changes wait for the label (exit 2, nothing applied); with the label, or --allow-destructive, they are applied', async () => {
  const cwd = await plannedUnpublish();
  assert.match(fake.commentsOn(7)[0]!.body, 'adding the label <code>apiproducts/allow-destructive</code>');
  merge();
  const waiting = await applyMerged(cwd);
  assert.is(waiting.code, 2, waiting.stderr);
  assert.match(applyComment(), '**⏸️ Waiting for approval: nothing was applied.**');
  assert.match(applyComment(), 'add the label <code>apiproducts/allow-destructive</code>');
  assert.match(await pending(cwd), 'to unpublish');
  fake.actions.pulls[0]!.labels.push({ name: 'apiproducts/allow-destructive' });
  const approved = await applyMerged(cwd);
  assert.is(approved.code, 0, approved.stderr);
  assert.match(await pending(cwd), 'No changes.');
});

test('a protected environment approves only when it has required reviewers; --allow-destructive; a custom label', async () => {
  const cwd = await plannedUnpublish();
  merge(['apiproducts/allow-destructive']);
  const otherLabel = await applyMerged(cwd, ['--destructive-label', 'prod/destroy-ok']);
  assert.is(otherLabel.code, 2, 'the default label is not the configured one');
  assert.match(applyComment(), '<code>prod/destroy-ok</code>');
  const unknown = await applyMerged(cwd, ['--destructive-label', 'prod/destroy-ok', '--destructive-environment', 'apiproducts-destructive']);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, 'GitHub API GET /repos/acme/portal/environments/apiproducts-destructive failed: HTTP 404');
  // Naming an environment that does not exist creates it, unprotected: such an environment approves nothing.
  fake.actions.environments.set('apiproducts-destructive', [{ type: 'wait_timer' }, { type: 'required_reviewers', reviewers: [] }]);
  const unprotected = await applyMerged(cwd, ['--destructive-label', 'prod/destroy-ok', '--destructive-environment', 'apiproducts-destructive']);
  assert.is(unprotected.code, 1);
  assert.match(unprotected.stderr, 'environment apiproducts-destructive has no required reviewers, so a job in it approves nothing');
  assert.match(await pending(cwd), 'to unpublish');
  fake.actions.environments.set('apiproducts-destructive', [{ type: 'required_reviewers', reviewers: [{ type: 'Team', reviewer: { slug: 'api-owners' } }] }]);
  const reviewed = await applyMerged(cwd, ['--destructive-label', 'prod/destroy-ok', '--destructive-environment', 'apiproducts-destructive']);
  assert.is(reviewed.code, 0, reviewed.stderr);
  assert.match(await pending(cwd), 'No changes.');
});

test('--allow-destructive approves unconditionally (a gate of your own)', async () => {
  const cwd = await plannedUnpublish();
  merge();
  const approved = await applyMerged(cwd, ['--allow-destructive']);
  assert.is(approved.code, 0, approved.stderr);
  assert.match(await pending(cwd), 'No changes.');
});

test('a matrix: one plan artifact and one apply job per target, one apply comment per target', async () => {
  const cwd = copyExampleProject();
  const run = fake.actions.addRun({ head_sha: HEAD_SHA });
  for (const target of ['sandbox-api7', 'sandbox-apigee']) {
    const planned = await runCli(['plan', '--target', target, '--out', `${target}.json`], { cwd });
    assert.is(planned.code, 0, planned.stderr);
    fake.actions.addArtifact(run.id, `apiproducts-plan-${target}`, writeZip({ 'plan.json': readFileSync(join(cwd, `${target}.json`), 'utf8') }));
  }
  merge();
  for (const target of ['sandbox-api7', 'sandbox-apigee']) {
    const applied = await applyMerged(cwd, ['--target', target, '--artifact', `apiproducts-plan-${target}`]);
    assert.is(applied.code, 0, applied.stderr);
    assert.not.match(applied.stderr, 'Re-planning');
  }
  assert.match(await pending(cwd), 'No changes.');
  const comments = fake.commentsOn(7).map((c) => c.body.split('\n')[0]);
  assert.equal(comments, [applyMarker(['sandbox-api7']), applyMarker(['sandbox-apigee'])]);
  const wrongArtifact = await applyMerged(cwd, ['--target', 'sandbox-api7']);
  assert.is(wrongArtifact.code, 0, 'no artifact named apiproducts-plan: re-planned, and nothing is left to do');
  assert.match(wrongArtifact.stderr, 'no successful plan run of commit 0123456 kept an artifact named apiproducts-plan');
});

test('a plan from a run that failed (its comment was never posted) or from a fork is not the reviewed plan: the merge is re-planned', async () => {
  const cwd = copyExampleProject();
  // The run planned, wrote plan.json, then failed to post its comment; upload-artifact kept the file.
  await runCli(['plan', '--out', 'plan.json'], { cwd });
  const failed = fake.actions.addRun({ head_sha: HEAD_SHA, conclusion: 'failure' });
  fake.actions.addArtifact(failed.id, 'apiproducts-plan', writeZip({ 'plan.json': readFileSync(join(cwd, 'plan.json'), 'utf8') }));
  const fork = fake.actions.addRun({ head_sha: HEAD_SHA, head_repository: { full_name: 'mallory/portal' } });
  fake.actions.addArtifact(fork.id, 'apiproducts-plan', writeZip({ 'plan.json': readFileSync(join(cwd, 'plan.json'), 'utf8') }));
  merge();
  const applied = await applyMerged(cwd);
  assert.is(applied.code, 3, applied.stderr);
  assert.match(applied.stderr, "Re-planning: no plan run of commit 0123456 both succeeded and ran this repository's code (2 failed, was cancelled or came from a fork), so no plan was shown on the pull request as it is");
  assert.equal(fake.actions.blobRequests, [], 'neither artifact was downloaded');
  assert.match(await pending(cwd), 'Plan: 8 to create', 'nothing was applied');
});

test('a plan file no run of this code would make from these files is refused, though current and well-formed', async () => {
  const cwd = copyExampleProject();
  const text = await planPullRequest(cwd);
  // A workflow edited on the branch uploads its own plan: the reviewed one without its creates.
  const crafted = JSON.parse(text);
  crafted.changes = crafted.changes.filter((change: { action: string }) => change.action !== 'create');
  const newer = fake.actions.addRun({ head_sha: HEAD_SHA });
  fake.actions.addArtifact(newer.id, 'apiproducts-plan', writeZip({ 'plan.json': renderPlanJson(crafted) }));
  merge();
  const applied = await applyMerged(cwd);
  assert.is(applied.code, 3, applied.stderr);
  assert.match(applied.stderr, 'Not applied: the reviewed plan is not what the merged files plan against the targets now');
  assert.match(applyComment(), '**❌ Nothing was applied.** The reviewed plan is not what the merged files plan against the targets now');
  assert.match(await pending(cwd), 'Plan: 8 to create, 2 to update', 'nothing was applied');
});

test('a push no pull request explains, and bad flags: clear errors, exit 1, no stack', async () => {
  const cwd = copyExampleProject();
  const direct = await applyMerged(cwd);
  assert.is(direct.code, 1);
  assert.match(direct.stderr, 'commit fedcba9 is not the merge of a pull request (none contains it), so there is no reviewed plan to apply');
  const byNumber = await runCli(['github', 'apply', '--pr', '7'], { cwd, env: githubEnv(fake, { pr: null }) });
  assert.is(byNumber.code, 1);
  assert.match(byNumber.stderr, 'GitHub API GET /repos/acme/portal/pulls/7 failed: HTTP 404');
  const stray = await runCli(['github', 'apply', '--plan', 'plan.json'], { cwd, env: githubEnv(fake) });
  assert.match(stray.stderr, 'github apply does not take --plan');
  const misplaced = await runCli(['github', 'comment', '--plan', 'plan.json', '--sha', MERGE_SHA], { cwd, env: githubEnv(fake) });
  assert.match(misplaced.stderr, '--sha belongs to `github apply`');
  for (const run of [direct, byNumber, stray, misplaced]) assert.not.match(run.stderr, /\n\s+at .+:\d+:\d+/);
});

test.run();
