/**
 * Issue 19 items 4 and 5 over real HTTP, for both vendors: two configurations with different
 * `owner:` on ONE emulator (a shared API7 portal, a shared Apigee org), and protection recorded
 * on the portal so that deleting a file cannot bypass it.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { findProduct } from '../../src/sandbox/apigee/state.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { TARGET_ENV, TOKEN } from '../helpers/real-target.ts';

const running: (Api7Emulator | ApigeeEmulator)[] = [];
test.after(async () => {
  await Promise.all(running.map((e) => e.close()));
});

const SPEC = 'openapi: 3.0.3\ninfo: {title: Docs, version: "1"}\npaths: {}\n';

/** What differs between the vendors: the emulator, the target entry, a product file, and how to read a product's marker. */
interface Vendor {
  start(): Promise<{ url: string; close(): Promise<void>; marker(key: string): Record<string, string> | undefined }>;
  target(url: string): string;
  /** The files of one product bound to the target `shared`. */
  product(name: string, extra?: string): Record<string, string>;
}

const VENDORS: Record<string, Vendor> = {
  api7: {
    async start() {
      const emulator = await startApi7Emulator({ token: TOKEN, state: seedApi7State() });
      running.push(emulator);
      const marker = (key: string) => emulator.state.products['portal-default']!.find((p) => p.labels?.['apiproducts-name'] === key)?.labels;
      return { url: emulator.url, close: () => emulator.close(), marker };
    },
    target: (url) => `    provider: api7\n    url: ${url}\n    portal: default\n    tokenEnv: API7_TOKEN\n`,
    product: (name, extra = '') => ({
      [`products/${name}.yaml`]:
        `name: ${name}\ndisplayName: ${name} docs\nstatus: published\nvisibility: public\n${extra}` +
        `targets:\n  shared:\n    type: external\n    openapi: ./specs/${name}.yaml\n    serverUrls: [https://${name}.example.com]\n`,
      [`products/specs/${name}.yaml`]: SPEC,
    }),
  },
  'apigee-edge': apigee('edge'),
  'apigee-x': apigee('x'),
};

function apigee(flavour: 'edge' | 'x'): Vendor {
  return {
    async start() {
      const emulator = await startApigeeEmulator({ flavour, org: 'acme', credentials: { token: TOKEN } });
      running.push(emulator);
      const marker = (key: string) => {
        const found = findProduct(emulator.state, key);
        return found && Object.fromEntries((found.attributes ?? []).map((a) => [a.name, a.value]));
      };
      return { url: emulator.url, close: () => emulator.close(), marker };
    },
    target: (url) => `    provider: apigee\n    flavour: ${flavour}\n    url: ${url}\n    org: acme\n    tokenEnv: API7_TOKEN\n`,
    product: (name, extra = '') => ({
      [`products/${name}.yaml`]: `name: ${name}\nstatus: published\nvisibility: public\n${extra}targets:\n  shared:\n    proxies: [orders-v2]\n`,
    }),
  };
}

/** One repository: its apiproducts.yaml (with `owner:` when given) and products, against the shared portal. */
function repository(vendor: Vendor, url: string, owner: string | undefined, products: string[]) {
  const files: Record<string, string> = { 'apiproducts.yaml': `${owner ? `owner: ${owner}\n` : ''}targets:\n  shared:\n${vendor.target(url)}` };
  for (const name of products) Object.assign(files, vendor.product(name));
  const cwd = writeProject(files);
  const cli = (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV });
  const add = (name: string, extra?: string) => {
    for (const [path, content] of Object.entries(vendor.product(name, extra))) writeFileSync(join(cwd, path), content);
  };
  // The whole product: an OpenAPI document no product references is itself an error.
  const remove = (name: string) => {
    for (const path of Object.keys(vendor.product(name))) unlinkSync(join(cwd, path));
  };
  const read = (path: string) => readFileSync(join(cwd, path), 'utf8');
  return { cwd, cli, add, remove, read };
}

for (const [name, vendor] of Object.entries(VENDORS)) {
  test(`${name}: two owners on one portal see each other's products as managed by the other, and prune deletes none of them`, async () => {
    const portal = await vendor.start();
    const a = repository(vendor, portal.url, 'team-a', ['alpha-one', 'alpha-two']);
    const b = repository(vendor, portal.url, 'team-b', ['beta-one']);
    for (const repo of [a, b]) {
      const apply = await repo.cli('apply', '--auto-approve');
      assert.is(apply.code, 0, apply.stdout + apply.stderr);
    }
    assert.is(portal.marker('alpha-one')?.['apiproducts-owner'], 'team-a');
    assert.is(portal.marker('beta-one')?.['apiproducts-owner'], 'team-b');
    assert.is(portal.marker('beta-one')?.['managed-by'], 'apiproducts');

    // Each sees the other's product as managed by it, and its own as unchanged.
    const planA = await a.cli('plan', '--format', 'json');
    assert.is(planA.code, 0, planA.stderr);
    const json = JSON.parse(planA.stdout);
    assert.equal(json.changes, []);
    assert.is(json.targets[0].managedByOthers['team-b'], 1);
    // The seed's own product was marked by a configuration without owner: (before owners existed).
    assert.is(json.targets[0].managedByOthers[''], 1);
    const text = await b.cli('plan');
    assert.match(text.stdout, '2 products on shared managed by owner team-a left alone');

    // Pruning in A deletes A's orphan only: B's product and the seed's stay.
    a.remove('alpha-two');
    const prune = await a.cli('apply', '--prune', '--allow-destructive', '--auto-approve', '--format', 'json');
    assert.is(prune.code, 0, prune.stdout + prune.stderr);
    assert.equal(JSON.parse(prune.stdout).report.results.map((r: { key: string; action: string }) => [r.key, r.action]), [['alpha-two', 'delete']]);
    assert.is(portal.marker('alpha-two'), undefined);
    assert.ok(portal.marker('beta-one'));
    assert.ok(portal.marker('alpha-one'));
    const again = await b.cli('plan', '--detailed-exitcode');
    assert.is(again.code, 0, again.stdout + again.stderr);
  });

  test(`${name}: a Git product named like another owner's product is a plan/owner-collision error, never an adoption`, async () => {
    const portal = await vendor.start();
    const a = repository(vendor, portal.url, 'team-a', ['alpha-one']);
    const b = repository(vendor, portal.url, 'team-b', ['beta-one']);
    assert.is((await b.cli('apply', '--auto-approve')).code, 0);
    a.add('beta-one');
    const plan = await a.cli('plan');
    assert.is(plan.code, 1, plan.stdout + plan.stderr);
    assert.match(plan.stderr, /products\/beta-one\.yaml:\d+:\d+/);
    assert.match(plan.stderr, 'plan/owner-collision');
    assert.match(plan.stderr, 'already has a product "beta-one" managed by owner team-b');
    assert.match(plan.stderr, '--adopt-from team-b');
    // `adopt: true` takes unmarked products only: it does not take another owner's either.
    a.add('beta-one');
    writeFileSync(join(a.cwd, 'products/beta-one.yaml'), a.read('products/beta-one.yaml') + '    adopt: true\n');
    const adopt = await a.cli('apply', '--auto-approve');
    assert.is(adopt.code, 1, adopt.stdout + adopt.stderr);
    assert.match(adopt.stderr, 'plan/owner-collision');
    assert.is(portal.marker('beta-one')?.['apiproducts-owner'], 'team-b');
  });

  test(`${name}: no owner and an owner: the unscoped configuration keeps today's markers and prunes none of the owner's products`, async () => {
    const portal = await vendor.start();
    const scoped = repository(vendor, portal.url, 'team-a', ['alpha-one']);
    const unscoped = repository(vendor, portal.url, undefined, ['plain-one', 'plain-two']);
    assert.is((await scoped.cli('apply', '--auto-approve')).code, 0);
    assert.is((await unscoped.cli('apply', '--auto-approve')).code, 0);
    const plain = portal.marker('plain-one')!;
    assert.is(plain['managed-by'], 'apiproducts');
    assert.not.ok('apiproducts-owner' in plain, 'no owner: the marker is as before owners existed');
    const seen = JSON.parse((await scoped.cli('plan', '--format', 'json')).stdout);
    assert.is(seen.targets[0].managedByOthers[''], 3, "the unscoped configuration's two products and the seed's");
    const mine = JSON.parse((await unscoped.cli('plan', '--format', 'json')).stdout);
    assert.equal(mine.targets[0].managedByOthers, { 'team-a': 1 });
    unscoped.remove('plain-two');
    const prune = await unscoped.cli('apply', '--prune', '--allow-destructive', '--auto-approve', '--format', 'json');
    assert.is(prune.code, 0, prune.stdout + prune.stderr);
    // Its own orphans go (the seed's product was marked without owner too, so it is one), team-a's stays.
    const deleted = JSON.parse(prune.stdout).report.results.map((r: { key: string }) => r.key);
    assert.ok(deleted.includes('plain-two'));
    assert.not.ok(deleted.includes('alpha-one'));
    assert.ok(portal.marker('alpha-one'));
    // `--adopt-from ''` takes a product marked without owner: (a repository adopting owner: for the first time).
    const imported = await scoped.cli('import', '--product', 'plain-one', '--adopt-from', '');
    assert.is(imported.code, 0, imported.stdout + imported.stderr);
    assert.match(scoped.read('products/plain-one.yaml'), 'adoptFrom: ""');
    const plan = await scoped.cli('plan');
    assert.match(plan.stdout, 'ownership : "apiproducts" → "apiproducts (owner team-a)"');
    assert.is((await scoped.cli('apply', '--auto-approve')).code, 0);
    assert.is(portal.marker('plain-one')?.['apiproducts-owner'], 'team-a');
  });

  test(`${name}: import --adopt-from moves a product from one owner to another, shown as an ownership update`, async () => {
    const portal = await vendor.start();
    const a = repository(vendor, portal.url, 'team-a', ['alpha-one']);
    const b = repository(vendor, portal.url, 'team-b', ['beta-one', 'beta-two']);
    assert.is((await a.cli('apply', '--auto-approve')).code, 0);
    assert.is((await b.cli('apply', '--auto-approve')).code, 0);
    // Without --adopt-from, another owner's product is skipped, saying how to take it.
    const plainImport = await a.cli('import', '--product', 'beta-one');
    assert.is(plainImport.code, 1, plainImport.stdout + plainImport.stderr);
    assert.match(plainImport.stdout, 'managed by owner team-b (another configuration on this portal); take it over with --adopt-from team-b');
    const imported = await a.cli('import', '--product', 'beta-one', '--adopt-from', 'team-b');
    assert.is(imported.code, 0, imported.stdout + imported.stderr);
    assert.match(a.read('products/beta-one.yaml'), 'adoptFrom: team-b');
    const plan = await a.cli('plan');
    assert.is(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, 'adopted from owner team-b: ownership moves to this configuration');
    assert.match(plan.stdout, 'ownership : "apiproducts (owner team-b)" → "apiproducts (owner team-a)"');
    assert.is((await a.cli('apply', '--auto-approve')).code, 0);
    assert.is(portal.marker('beta-one')?.['apiproducts-owner'], 'team-a');
    assert.is((await a.cli('plan', '--detailed-exitcode')).code, 0);
    // The old owner's repository now meets a collision for the file it still has, and leaves the product alone.
    const theirs = await b.cli('apply', '--auto-approve', '--prune', '--allow-destructive');
    assert.is(theirs.code, 1, theirs.stdout + theirs.stderr);
    assert.match(theirs.stderr, 'already has a product "beta-one" managed by owner team-a');
    b.remove('beta-one');
    const cleaned = await b.cli('apply', '--auto-approve', '--prune', '--allow-destructive');
    assert.is(cleaned.code, 0, cleaned.stdout + cleaned.stderr);
    assert.is(portal.marker('beta-one')?.['apiproducts-owner'], 'team-a');
    // --adopt-from must name another owner, one that has products here.
    assert.match((await a.cli('import', '--adopt-from', 'team-a')).stderr, "names this configuration's own owner");
    assert.match((await a.cli('import', '--adopt-from', 'team-z')).stderr, 'has no products managed by owner team-z');
  });

  test(`${name}: protection lives on the portal: a protected product whose file is deleted is not pruned until protected: false is applied`, async () => {
    const portal = await vendor.start();
    const repo = repository(vendor, portal.url, undefined, ['keeper', 'other']);
    repo.add('keeper', 'protected: true\n');
    assert.is((await repo.cli('apply', '--auto-approve')).code, 0);
    assert.is(portal.marker('keeper')?.['apiproducts-protected'], 'true');
    assert.not.ok('apiproducts-protected' in portal.marker('other')!, 'only protected products carry it');

    repo.remove('keeper');
    const plan = await repo.cli('plan', '--prune');
    assert.is(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /! shared\/keeper: delete (?:\((?:breaks|cancels) \d+ [a-z ]+\) )?\(protected: refused until a change setting `protected: false` has been applied\)/);
    const refused = await repo.cli('apply', '--prune', '--allow-destructive', '--auto-approve');
    assert.is(refused.code, 4, refused.stdout + refused.stderr);
    assert.match(refused.stdout, 'skipped     delete shared/keeper: the product is protected: apply a change setting protected: false first');
    assert.ok(portal.marker('keeper'), 'the product survives');

    // Lifting the protection is a visible update that rewrites the marker; then the delete applies.
    repo.add('keeper', 'protected: false\n');
    const lifted = await repo.cli('apply', '--auto-approve');
    assert.is(lifted.code, 0, lifted.stdout + lifted.stderr);
    assert.match(lifted.stdout, 'protected : true → false');
    assert.not.ok('apiproducts-protected' in portal.marker('keeper')!);
    repo.remove('keeper');
    const deleted = await repo.cli('apply', '--prune', '--allow-destructive', '--auto-approve');
    assert.is(deleted.code, 0, deleted.stdout + deleted.stderr);
    assert.is(portal.marker('keeper'), undefined);
  });

  test(`${name}: a saved plan that did not see the protection (an older version's) cannot bypass it`, async () => {
    const portal = await vendor.start();
    const repo = repository(vendor, portal.url, undefined, ['other']);
    assert.is((await repo.cli('apply', '--auto-approve')).code, 0);
    repo.add('keeper');
    assert.is((await repo.cli('apply', '--auto-approve')).code, 0);
    // The plan is made while keeper is unprotected; protection is applied after it was saved.
    repo.remove('keeper');
    assert.is((await repo.cli('plan', '--prune', '--out', 'plan.json')).code, 0);
    const saved = JSON.parse(repo.read('plan.json'));
    const keeper = saved.changes.filter((c: { key: string }) => c.key === 'keeper');
    assert.equal(keeper.map((c: { id: string; protected: boolean }) => [c.id, c.protected]), [['shared/keeper/delete', false]]);
    repo.add('keeper', 'protected: true\n');
    assert.is((await repo.cli('apply', '--auto-approve')).code, 0);
    assert.is(portal.marker('keeper')?.['apiproducts-protected'], 'true');
    repo.remove('keeper');
    const applied = await repo.cli('apply', 'plan.json', '--allow-destructive');
    assert.is(applied.code, 4, applied.stdout + applied.stderr);
    assert.match(applied.stdout, 'skipped     delete shared/keeper: the product is protected');
    assert.ok(portal.marker('keeper'), 'the product survives');
  });
}

test.run();
