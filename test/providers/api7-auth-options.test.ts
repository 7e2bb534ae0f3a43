/**
 * Issue 14 items 2 and 3, API7 auth options over real HTTP against the emulator: an option Git
 * writes is set and compared (an out-of-band edit shows in plan and drift), one Git leaves out
 * keeps its live value, and import writes the options that are not the defaults.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { otherClient, TARGET_ENV, TOKEN } from '../helpers/real-target.ts';

const PORTAL = 'portal-default';
const LEGACY = `/api/api_products/prod-legacy-billing?portal_id=${PORTAL}`;

const running: Api7Emulator[] = [];
test.after(async () => {
  await Promise.all(running.map((e) => e.close()));
});

async function project() {
  const emulator = await startApi7Emulator({ token: TOKEN, state: seedApi7State() });
  running.push(emulator);
  const config = `targets:\n  api7-prod:\n    provider: api7\n    url: ${emulator.url}\n    portal: default\n    tokenEnv: API7_TOKEN\n`;
  const cwd = writeProject({ 'apiproducts.yaml': config, 'products/.keep': '' });
  const cli = (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV });
  const byName = async (name: string) => {
    const { list } = await otherClient(emulator, 'GET', `/api/api_products?portal_id=${PORTAL}&page=1&page_size=100`);
    return list.find((p: { name: string }) => p.name === name);
  };
  return { emulator, cwd, cli, byName };
}

/** A gateway product whose auth lines are given as YAML. */
function catalog(status: 'draft' | 'published', ...authLines: string[]): string {
  return ['name: catalog', 'displayName: Catalog API', `status: ${status}`, 'visibility: public', 'access: auto', 'auth:', ...authLines,
    'targets:', '  api7-prod:', '    type: gateway', '    services:', '      - gatewayGroup: production', '        service: loyalty', ''].join('\n');
}

/** The dashboard edits the product; auth is locked while published, so it unpublishes around the edit. */
async function dashboardSets(emulator: Api7Emulator, path: string, fields: Record<string, unknown>): Promise<void> {
  const { id: _i, created_at: _c, updated_at: _u, ...body } = (await otherClient(emulator, 'GET', path)).value;
  await otherClient(emulator, 'PUT', path, { ...body, ...fields, status: 'draft' });
  await otherClient(emulator, 'PUT', path, { ...body, ...fields, status: body.status });
}

test('Git sets key-auth header X-Api-Key on a new product: created with it, then no changes', async () => {
  const { cwd, cli, byName } = await project();
  writeFileSync(join(cwd, 'products', 'catalog.yaml'), catalog('draft', '  - key-auth:', '      header: X-Api-Key'));
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.equal((await byName('Catalog API')).auth, { 'key-auth': { header: 'X-Api-Key' } });
  const again = await cli('plan', '--detailed-exitcode');
  assert.is(again.code, 0, again.stdout + again.stderr);
});

test('import of a live product with a custom header writes it; the plan then only adopts, and is empty after apply', async () => {
  const { emulator, cwd, cli } = await project();
  assert.is((await cli('import', '--target', 'api7-prod')).code, 0);
  const yaml = readFileSync(join(cwd, 'products', 'legacy-billing.yaml'), 'utf8');
  assert.match(yaml, 'header: X-Billing-Key');
  const plan = await cli('plan', '--format', 'json');
  const changes = JSON.parse(plan.stdout).changes as { key: string; fields: { path: string }[] }[];
  const legacy = changes.filter((c) => c.key === 'legacy-billing').flatMap((c) => c.fields.map((f) => f.path));
  assert.equal(legacy, ['ownership']);
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.is((await cli('plan', '--detailed-exitcode')).code, 0);
  assert.equal((await otherClient(emulator, 'GET', LEGACY)).value.auth, { 'key-auth': { header: 'X-Billing-Key' } });
});

test("Git's plain key-auth over a live custom header: no diff, and an update keeps the header", async () => {
  const { emulator, cwd, cli } = await project();
  assert.is((await cli('import', '--target', 'api7-prod')).code, 0);
  const file = join(cwd, 'products', 'legacy-billing.yaml');
  const yaml = readFileSync(file, 'utf8').replace(/- key-auth:\n\s+header: X-Billing-Key/, '- key-auth');
  assert.ok(!yaml.includes('X-Billing-Key'), yaml);
  writeFileSync(file, yaml.replace(/^description: .*$/m, 'description: Edited in Git.'));
  const plan = await cli('plan', '--format', 'json');
  const fields = (JSON.parse(plan.stdout).changes as { fields: { path: string }[] }[]).flatMap((c) => c.fields.map((f) => f.path));
  assert.ok(!fields.some((path) => path.startsWith('keyAuth') || path === 'auth'), fields.join(', '));
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  const after = (await otherClient(emulator, 'GET', LEGACY)).value;
  assert.is(after.desc, 'Edited in Git.');
  assert.equal(after.auth, { 'key-auth': { header: 'X-Billing-Key' } });
  assert.is((await cli('plan', '--detailed-exitcode')).code, 0);
});

test('an out-of-band header change on a product whose Git sets the header: plan cycles the published product, drift says changed outside Git', async () => {
  const { emulator, cwd, cli, byName } = await project();
  writeFileSync(join(cwd, 'products', 'catalog.yaml'), catalog('published', '  - key-auth:', '      header: X-Api-Key', '      hideCredentials: true'));
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  // The seeded portal has drift of its own; only catalog matters here.
  assert.not.match((await cli('drift')).stdout, 'catalog');
  const id = (await byName('Catalog API')).id as string;
  await dashboardSets(emulator, `/api/api_products/${id}?portal_id=${PORTAL}`, { auth: { 'key-auth': { header: 'X-Other', hide_credentials: true } } });

  const plan = await cli('plan', '--format', 'json');
  const changes = JSON.parse(plan.stdout).changes as { action: string; changedOutsideGit?: boolean; fields: { path: string; before?: unknown; after?: unknown }[] }[];
  assert.equal(changes.map((c) => c.action), ['unpublish', 'update', 'publish']);
  assert.equal(changes[1]!.fields, [{ path: 'keyAuthHeader', before: 'X-Other', after: 'X-Api-Key' }]);
  assert.ok(changes.every((c) => c.changedOutsideGit));
  const drift = await cli('drift');
  assert.is(drift.code, 2, drift.stdout + drift.stderr);
  assert.match(drift.stdout, /Changed outside Git[^\n]*\n  ! api7-prod\/catalog/);
  assert.match(drift.stdout, 'keyAuthHeader: live "X-Other", Git "X-Api-Key"');

  const fix = await cli('apply', '--auto-approve', '--allow-destructive');
  assert.is(fix.code, 0, fix.stdout + fix.stderr);
  assert.equal((await byName('Catalog API')).auth, { 'key-auth': { header: 'X-Api-Key', hide_credentials: true } });
  assert.not.match((await cli('drift')).stdout, 'catalog');
});

test('an out-of-band edit of an option Git does not write shows nowhere', async () => {
  const { emulator, cwd, cli, byName } = await project();
  writeFileSync(join(cwd, 'products', 'catalog.yaml'), catalog('draft', '  - key-auth:', '      header: X-Api-Key'));
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  const id = (await byName('Catalog API')).id as string;
  await dashboardSets(emulator, `/api/api_products/${id}?portal_id=${PORTAL}`, { auth: { 'key-auth': { header: 'X-Api-Key', query: 'k' } } });
  assert.is((await cli('plan', '--detailed-exitcode')).code, 0);
});

test.run();
