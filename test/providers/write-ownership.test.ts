/**
 * Issue 14 item 5, read after write: a portal that drops apiproducts' ownership marker on create
 * (API7 `labels` on external products is unconfirmed, reference §3) must not get a second unmarked
 * product. Over real HTTP against the emulators, which drop the marker only when told to.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ApplyReport } from '../../src/model/plan.ts';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { TARGET_ENV, TOKEN } from '../helpers/real-target.ts';

const running: (Api7Emulator | ApigeeEmulator)[] = [];
test.after(async () => {
  await Promise.all(running.map((e) => e.close()));
});

const SPEC = 'openapi: 3.0.3\ninfo: {title: Docs, version: "1"}\npaths: {}\n';
/** An external product whose display name slugs to its Git name, so an unmarked copy collides with it. */
const external = (name: string, title: string): string =>
  `name: ${name}\ndisplayName: ${title}\ndescription: ${title} for partners.\nstatus: published\nvisibility: public\nteam: docs\n` +
  `targets:\n  api7-prod:\n    type: external\n    openapi: ./specs/${name}.yaml\n    serverUrls: [https://${name}.example.com]\n`;

async function project(dropExternalLabels: boolean) {
  // Product creates only: each apply also creates (and removes) its lock record.
  let productCreates = 0;
  const emulator = await startApi7Emulator({
    token: TOKEN,
    state: seedApi7State(),
    dropExternalLabels,
    beforeAnswer: ({ method, path, body }) => void (method === 'POST' && path === '/api/api_products' && !body.includes('apiproducts.lock.') && productCreates++),
  });
  running.push(emulator);
  const cwd = writeProject({
    'apiproducts.yaml': `targets:\n  api7-prod:\n    provider: api7\n    url: ${emulator.url}\n    portal: default\n    tokenEnv: API7_TOKEN\n`,
    'products/docs-alpha.yaml': external('docs-alpha', 'Docs Alpha'),
    'products/docs-beta.yaml': external('docs-beta', 'Docs Beta'),
    'products/specs/docs-alpha.yaml': SPEC,
    'products/specs/docs-beta.yaml': SPEC,
  });
  const creates = () => productCreates;
  return { emulator, creates, cli: (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV }) };
}

const outcomes = (report: ApplyReport) => report.results.map((r) => [r.key, r.action, r.outcome]);

test('API7 drops the labels of external products: the first create fails naming the dropped marker, the second is never sent, exit 4, and plan shows the collision', async () => {
  const { creates, cli } = await project(true);
  const apply = await cli('apply', '--auto-approve', '--format', 'json');
  assert.is(apply.code, 4, apply.stdout + apply.stderr);
  const report = (JSON.parse(apply.stdout) as { report: ApplyReport }).report;
  assert.equal(outcomes(report), [['docs-alpha', 'create', 'failed'], ['docs-beta', 'create', 'skipped']]);
  const [failed, skipped] = report.results;
  assert.is(
    failed!.message,
    "docs-alpha: the portal dropped apiproducts' ownership marker (labels managed-by and apiproducts-name) from the created product, so a later run would not recognise it and would create it again; delete it in the portal or adopt it with `apiproducts import --target api7-prod`, and report the portal version",
  );
  assert.not.match(failed!.message!, '\n');
  assert.match(skipped!.message!, /^not attempted: api7-prod\/docs-alpha\/create showed that api7-prod drops apiproducts' ownership marker/);
  assert.is(skipped!.attempts, 0);
  assert.is(creates(), 1, 'the second create was never sent');

  // The unmarked product is a collision now, never planned as a second create.
  const plan = await cli('plan', '--format', 'json');
  assert.match(plan.stdout + plan.stderr, 'plan/unowned-collision');
  assert.match(plan.stdout + plan.stderr, 'already has a product "docs-alpha" that apiproducts does not manage');
  const again = await cli('apply', '--auto-approve', '--format', 'json');
  assert.is.not(again.code, 0);
  assert.is(creates(), 1, 'no duplicate of docs-alpha, and docs-beta is not created into a portal that drops the marker');
});

test('API7 keeps the labels (the default): both creates apply, owned, and the next plan is empty', async () => {
  const { emulator, creates, cli } = await project(false);
  const apply = await cli('apply', '--auto-approve', '--format', 'json');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  const report = (JSON.parse(apply.stdout) as { report: ApplyReport }).report;
  assert.equal(outcomes(report), [['docs-alpha', 'create', 'applied'], ['docs-beta', 'create', 'applied']]);
  assert.is(creates(), 2);
  const stored = emulator.state.products['portal-default']!.filter((p) => p.name.startsWith('Docs'));
  assert.equal(stored.map((p) => p.labels?.['managed-by']), ['apiproducts', 'apiproducts']);
  const again = await cli('plan', '--detailed-exitcode');
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, 'No changes.');
});

test('Apigee drops the attributes of a created product: the first create fails naming managed-by, the second is never sent, exit 4', async () => {
  let productCreates = 0;
  const emulator = await startApigeeEmulator({
    flavour: 'edge',
    org: 'acme',
    credentials: { token: TOKEN },
    dropAttributes: true,
    beforeAnswer: ({ method, path, body }) => void (method === 'POST' && path.endsWith('/apiproducts') && !body.includes('apiproducts.lock.') && productCreates++),
  });
  running.push(emulator);
  const product = (name: string): string => `name: ${name}\nstatus: published\nvisibility: public\ntargets:\n  apigee-prod:\n    proxies: [orders-v2]\n`;
  const cwd = writeProject({
    'apiproducts.yaml': `targets:\n  apigee-prod:\n    provider: apigee\n    flavour: edge\n    url: ${emulator.url}\n    org: acme\n    tokenEnv: API7_TOKEN\n`,
    'products/alpha.yaml': product('alpha'),
    'products/beta.yaml': product('beta'),
  });
  const creates = () => productCreates;
  const apply = await runCli(['apply', '--auto-approve', '--format', 'json'], { cwd, env: TARGET_ENV });
  assert.is(apply.code, 4, apply.stdout + apply.stderr);
  const report = (JSON.parse(apply.stdout) as { report: ApplyReport }).report;
  assert.equal(outcomes(report), [['alpha', 'create', 'failed'], ['beta', 'create', 'skipped']]);
  assert.match(report.results[0]!.message!, /^alpha: the portal dropped apiproducts' ownership marker \(attribute managed-by\) from the created product/);
  assert.is(report.results[1]!.attempts, 0);
  assert.is(creates(), 1, 'the second create was never sent');
});

test.run();
