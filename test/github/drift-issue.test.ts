import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createGithubClient } from '../../src/github/client.ts';
import { readGithubContext } from '../../src/github/context.ts';
import { buildDriftIssueBody, driftMarker } from '../../src/github/drift-body.ts';
import { syncDriftIssues } from '../../src/github/drift-issues.ts';
import type { DriftReport } from '../../src/plan/drift.ts';
import { assertGolden } from '../helpers/golden.ts';
import { copyExampleProject, runCli } from '../helpers/project.ts';
import { BOT, FakeGithub } from './helpers/fake-github.ts';
import { githubEnv, GITHUB_TOKEN, RUN_URL } from './helpers/github-env.ts';

const TOOL = { name: 'apiproducts', version: '0.0.0-test' };
const target = (name: string) => ({ name, provider: 'api7', identity: { url: `sandbox://${name}` }, observedAt: '2026-11-25T09:00:00.000Z', unmanaged: 0, orphaned: [] });

function report(drifted: Record<string, number>): DriftReport {
  const items: DriftReport['items'] = [];
  for (const [name, count] of Object.entries(drifted)) {
    for (let i = 0; i < count; i++) {
      items.push({ target: name, key: `product-${i}`, product: `product-${i}`, kind: 'changed-outside-git', fields: [{ path: 'description', live: `edited <b>${i}</b>`, desired: 'from Git' }] });
    }
  }
  return { formatVersion: 1, createdAt: '2026-11-25T09:00:00.000Z', targets: Object.keys(drifted).map(target), items };
}

let fake: FakeGithub;
test.before(async () => {
  fake = await new FakeGithub({ token: GITHUB_TOKEN, maxPerPage: 2 }).start();
});
test.after(async () => fake.close());
test.before.each(() => fake.reset());

async function sync(r: DriftReport) {
  const context = readGithubContext(githubEnv(fake, { pr: null }));
  return syncDriftIssues(await createGithubClient(context, 'apiproducts/test'), context, r, { tool: TOOL, runUrl: RUN_URL });
}

test('the issue body for one target matches its golden file and escapes live values', () => {
  const body = buildDriftIssueBody(report({ 'api7-prod': 2, 'apigee-prod': 1 }), 'api7-prod', { tool: TOOL, runUrl: RUN_URL });
  assert.ok(body.startsWith(driftMarker('api7-prod') + '\n'));
  assert.not.match(body, 'apigee-prod');
  assert.not.match(body, '<b>');
  assertGolden('github/drift-issue.md', body);
});

test('a huge drift report is cut at a table row to fit an issue', () => {
  const body = buildDriftIssueBody(report({ 'api7-prod': 2000 }), 'api7-prod', { tool: TOOL, runUrl: RUN_URL });
  assert.ok(body.length <= 65_536, String(body.length));
  assert.match(body, /… \d+ more rows of this table did not fit in an issue/);
  assert.match(body, '**Drift: 2000 changed outside Git, 0 not yet applied, 0 missing, 0 orphaned.**');
  assert.match(body, '**What to do.**');
});

test('cut to fit, every kind keeps its table and its first rows: missing and orphaned products are not crowded out', () => {
  const long = report({ 'api7-prod': 3000 });
  long.items.push(
    ...Array.from({ length: 5 }, (_, i) => ({ target: 'api7-prod', key: `gone-${i}`, product: `gone-${i}`, kind: 'missing' as const, fields: [] })),
    ...Array.from({ length: 3 }, (_, i) => ({ target: 'api7-prod', key: `old-${i}`, product: `old-${i}`, kind: 'orphaned' as const, fields: [] })),
  );
  const body = buildDriftIssueBody(long, 'api7-prod', { tool: TOOL, runUrl: RUN_URL });
  assert.ok(body.length <= 65_536, String(body.length));
  for (let i = 0; i < 5; i++) assert.match(body, `| api7-prod | gone-${i} |`);
  for (let i = 0; i < 3; i++) assert.match(body, `| api7-prod | old-${i} |`);
  assert.match(body, /… \d+ more rows of this table did not fit/);
  assert.ok(body.indexOf('gone-0') > body.indexOf('product-0'), 'in the order of the report');
});

test('drift opens one issue per drifting target, updates it while drift lasts, closes it with a comment when gone', async () => {
  fake.addIssue({ title: 'Unrelated bug', body: 'Not ours' });
  fake.addIssue({ title: 'Drift detected: api7-prod', body: `${driftMarker('api7-prod')}\nA person copied the marker.` });
  fake.addIssue({ title: 'PR', body: `${driftMarker('api7-prod')}\n`, user: BOT, pull_request: { url: 'x' } });

  const first = await sync(report({ 'api7-prod': 1, 'apigee-prod': 0 }));
  assert.equal(first.map((o) => [o.target, o.action]), [['api7-prod', 'opened'], ['apigee-prod', 'none']]);
  const ours = fake.issues.find((i) => i.number === first[0]!.number)!;
  assert.is(ours.title, 'Drift detected: api7-prod');
  assert.ok(ours.body.startsWith(driftMarker('api7-prod') + '\n'));
  assert.match(ours.body, 'Drift: 1 changed outside Git');

  const second = await sync(report({ 'api7-prod': 3, 'apigee-prod': 1 }));
  assert.equal(second.map((o) => [o.target, o.action]), [['api7-prod', 'updated'], ['apigee-prod', 'opened']]);
  assert.is(second[0]!.number, ours.number);
  assert.match(ours.body, 'Drift: 3 changed outside Git');

  const third = await sync(report({ 'api7-prod': 0, 'apigee-prod': 1 }));
  assert.equal(third.map((o) => [o.target, o.action]), [['api7-prod', 'closed'], ['apigee-prod', 'updated']]);
  assert.is(ours.state, 'closed');
  assert.is(ours.state_reason, 'completed');
  assert.match(fake.commentsOn(ours.number)[0]!.body, '✅ **No drift on api7-prod** any more');
  assert.is(fake.issues.filter((i) => i.title === 'Drift detected: api7-prod' && i.state === 'open').length, 1, "the person's issue is left alone");

  const fourth = await sync(report({ 'api7-prod': 0 }));
  assert.equal(fourth.map((o) => o.action), ['none']);
  assert.is(fake.issues.find((i) => i.title === 'Drift detected: apigee-prod')!.state, 'open', 'a target outside the report is untouched');
});

test('drift --github-issue leaves embedded sandboxes out: the shipped drift workflow files no issue for them', async () => {
  const cwd = copyExampleProject();
  const drift = await runCli(['drift', '--github-issue'], { cwd, env: githubEnv(fake, { pr: null }) });
  assert.is(drift.code, 0, drift.stderr);
  assert.match(drift.stderr, 'Not checked for drift issues (embedded sandboxes start empty on every run): sandbox-api7, sandbox-apigee');
  assert.match(drift.stderr, 'No drift check: every target is an embedded sandbox');
  assert.equal(fake.issues, []);
  assert.equal(fake.requests.filter((r) => r.path.includes('/issues')), []);
  const plain = await runCli(['drift'], { cwd });
  assert.is(plain.code, 2, 'without --github-issue the sandboxes are still compared');
});

test('github drift-issue --report opens and closes issues from a drift report (here, of the example sandboxes)', async () => {
  const cwd = copyExampleProject();
  const env = githubEnv(fake, { pr: null });
  const report = await runCli(['drift', '--format', 'json'], { cwd });
  assert.is(report.code, 2, report.stderr);
  writeFileSync(join(cwd, 'drift.json'), report.stdout);
  const drift = await runCli(['github', 'drift-issue', '--report', 'drift.json'], { cwd, env });
  assert.is(drift.code, 0, drift.stderr);
  assert.match(drift.stdout, /sandbox-api7: drift: opened issue #\d+/);
  assert.match(drift.stdout, /sandbox-apigee: drift: opened issue #\d+/);
  assert.equal(fake.issues.map((i) => i.title).sort(), ['Drift detected: sandbox-api7', 'Drift detected: sandbox-apigee']);
  assert.not.ok((drift.stdout + drift.stderr).includes(GITHUB_TOKEN));

  assert.is((await runCli(['apply', '--auto-approve', '--allow-destructive'], { cwd })).code, 0);
  const json = await runCli(['drift', '--format', 'json'], { cwd });
  assert.is(json.code, 0, json.stderr);
  writeFileSync(join(cwd, 'drift.json'), json.stdout);
  const closed = await runCli(['github', 'drift-issue', '--report', 'drift.json'], { cwd, env });
  assert.is(closed.code, 0, closed.stderr);
  assert.match(closed.stdout, /sandbox-api7: no drift: closed issue #\d+/);
  assert.ok(fake.issues.every((i) => i.state === 'closed'));

  const notAReport = await runCli(['github', 'drift-issue', '--report', 'apiproducts.yaml'], { cwd, env });
  assert.is(notAReport.code, 1);
  assert.match(notAReport.stderr, 'apiproducts.yaml is not a drift report');
});

test('a drift report narrowed by --product never files, closes or rewrites an issue: the other products may still drift', async () => {
  const cwd = copyExampleProject();
  const env = githubEnv(fake, { pr: null });
  const narrowed = await runCli(['drift', '--product', 'payments', '--github-issue'], { cwd, env });
  assert.is(narrowed.code, 1);
  assert.match(narrowed.stderr, 'drift issues describe every product of a target, so they are not filed from a report narrowed by --product');
  assert.equal(fake.requests, [], 'refused before any GitHub call');
  const json = await runCli(['drift', '--product', 'payments', '--format', 'json'], { cwd });
  assert.equal(JSON.parse(json.stdout).products, ['payments'], 'the report says it is narrowed');
  writeFileSync(join(cwd, 'drift.json'), json.stdout);
  const fromFile = await runCli(['github', 'drift-issue', '--report', 'drift.json'], { cwd, env });
  assert.is(fromFile.code, 1);
  assert.match(fromFile.stderr, 'drift.json covers only --product payments: drift issues describe every product of a target');
  assert.equal(fake.issues, []);
  // Without --product the report says nothing of products: every product is in it.
  assert.not.ok('products' in JSON.parse((await runCli(['drift', '--format', 'json'], { cwd })).stdout));
});

test('issues: write missing is a clear one-line 403', async () => {
  fake.failWith = { status: 403, message: 'Resource not accessible by integration' };
  try {
    await sync(report({ 'api7-prod': 1 }));
    assert.unreachable('should fail');
  } catch (error) {
    assert.match((error as Error).message, /HTTP 403 Resource not accessible by integration; the token lacks a permission/);
    assert.not.match((error as Error).message, GITHUB_TOKEN);
  }
});

test.run();
