/**
 * Issue 16, forged output: a live product's name, description and label value, and a server's
 * error body, carrying escapes and newlines. Every format shows them escaped: no raw control
 * character reaches stdout or stderr, no line begins with a forged `Plan:` or `::`, and the
 * machine formats (JSON, imported YAML) still carry the exact value.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { load } from 'js-yaml';
import type { Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { buildPlanComment } from '../../src/github/plan-comment.ts';
import { buildDriftIssueBody } from '../../src/github/drift-body.ts';
import { planSummaryChunks } from '../../src/github/step-summary.ts';
import { NAME_LABEL } from '../../src/providers/api7/wire.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { startHostileServer, type HostileServer } from '../helpers/hostile-server.ts';
import { exampleAgainstEmulator, otherClient, TARGET_ENV } from '../helpers/real-target.ts';
import { FORGED_TEXT, RAW_CONTROL } from '../fixtures/forged-output.ts';

const PORTAL = 'portal-default';
const SUMMARY = /^Plan: \d+ to create, \d+ to update, \d+ to publish, \d+ to unpublish, \d+ to delete\.$/;
const running: { close(): Promise<void> }[] = [];
test.after(async () => {
  await Promise.all(running.map((r) => r.close()));
});

/** What every output must satisfy, whatever the command and format. */
function assertInert(output: string, what: string): void {
  const raw = RAW_CONTROL.exec(output);
  assert.not.ok(raw, `${what}: raw U+${raw?.[0].codePointAt(0)?.toString(16)} in\n${JSON.stringify(output)}`);
  for (const line of output.split('\n')) {
    assert.not.ok(/^\s*::/.test(line), `${what}: a line begins with a workflow command: ${line}`);
    if (/^\s*Plan:/.test(line)) assert.match(line.trim(), SUMMARY, `${what}: a forged Plan: line`);
  }
}

/** The example applied, then edited by another client so that each forged text reaches a live field. */
async function forgedPortal(): Promise<{ cwd: string; emulator: Api7Emulator; cli: (...args: string[]) => ReturnType<typeof runCli> }> {
  const { cwd, emulator } = await exampleAgainstEmulator();
  running.push(emulator);
  const cli = (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV });
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  const payments = emulator.state.products[PORTAL]!.find((p) => p.name.startsWith('Payments'))!;
  const { value: live } = await otherClient(emulator, 'GET', `/api/api_products/${payments.id}?portal_id=${PORTAL}`);
  const { id: _id, created_at: _c, updated_at: _u, ...body } = live;
  const labels = Object.fromEntries(FORGED_TEXT.map((forged, i) => [`forged${i}`, forged.text]));
  await otherClient(emulator, 'PUT', `/api/api_products/${payments.id}?portal_id=${PORTAL}`, { ...body, desc: FORGED_TEXT.map((f) => f.text).join(' '), labels: { ...body.labels, ...labels } });
  for (const [i, forged] of FORGED_TEXT.entries()) {
    // Unmanaged products: one named with the forged text, one with a plain name and the forged text as its description (import writes it).
    await otherClient(emulator, 'POST', `/api/api_products?portal_id=${PORTAL}`, { name: forged.text, type: 'gateway', desc: forged.text });
    await otherClient(emulator, 'POST', `/api/api_products?portal_id=${PORTAL}`, { name: `forged-${i}`, type: 'gateway', desc: forged.text, labels: { note: forged.text } });
    // And one carrying apiproducts' marker with the forged text as its name: an orphan whose key is the forged text.
    await otherClient(emulator, 'POST', `/api/api_products?portal_id=${PORTAL}`, { ...body, linked_gateway_services: [], name: `orphan ${i}`, labels: { ...body.labels, [NAME_LABEL]: forged.text } });
  }
  return { cwd, emulator, cli };
}

test('plan (text, json, markdown) and drift (text, json, markdown) show a forged live product escaped', async () => {
  const { cli } = await forgedPortal();
  const text = await cli('plan');
  assert.is(text.code, 0, text.stdout + text.stderr);
  assert.match(text.stdout, '~ payments', 'the edited product is planned back to Git');
  assert.match(text.stdout, '\\u001b[2K\\rPlan: 0 to create\\n::error::forged', 'the value is shown, escaped');
  assert.match(text.stdout, '3 orphaned on api7-prod (ours, no longer in Git), kept because pruning is off: x\\u001B[2K\\u000DPlan: 0 to create\\u000A::error::forged');
  assertInert(text.stdout + text.stderr, 'plan');

  const json = await cli('plan', '--format', 'json');
  assertInert(json.stdout + json.stderr, 'plan --format json');
  const change = JSON.parse(json.stdout).changes.find((c: { key: string }) => c.key === 'payments');
  const before = change.fields.find((f: { path: string }) => f.path === 'description').before;
  assert.is(before, FORGED_TEXT.map((f) => f.text).join(' '), 'JSON carries the exact value');

  // The PR comment and the step summary are built from the same plan.
  const tool = { name: 'apiproducts', version: '0.0.0' };
  assertInert(buildPlanComment(JSON.parse(json.stdout), { tool }).body, 'PR comment');
  assertInert(planSummaryChunks(JSON.parse(json.stdout), 'apiproducts plan').join(''), 'step summary');

  const markdown = await cli('plan', '--format', 'markdown');
  assertInert(markdown.stdout + markdown.stderr, 'plan --format markdown');
  assert.match(markdown.stdout, '\\\\u001b\\[2K\\\\rPlan: 0 to create\\\\n::error::forged');

  for (const format of ['text', 'json', 'markdown']) {
    const drift = await cli('drift', '--format', format);
    assert.ok(drift.code === 0 || drift.code === 2, drift.stdout + drift.stderr);
    assertInert(drift.stdout + drift.stderr, `drift --format ${format}`);
  }
  const drift = await cli('drift', '--format', 'json');
  assertInert(buildDriftIssueBody(JSON.parse(drift.stdout), 'api7-prod', { tool: { name: 'apiproducts', version: '0.0.0' } }), 'drift issue');
  assert.ok(JSON.stringify(JSON.parse(drift.stdout)).includes(JSON.stringify(FORGED_TEXT[0]!.text).slice(1, -1)), 'drift JSON carries the exact value');
});

test('import: the terminal lines are escaped, the YAML written re-reads to the exact value', async () => {
  const { cwd, cli } = await forgedPortal();
  const imported = await cli('import', '--target', 'api7-prod', '--out', 'imported');
  assertInert(imported.stdout + imported.stderr, 'import');
  assert.is(imported.code, 1, imported.stdout + imported.stderr);
  assert.match(imported.stderr, '"x\\u001B[2K\\u000DPlan: 0 to create\\u000A::error::forged" is not a valid product name', 'the forged orphan is refused, escaped');
  for (const [i, forged] of FORGED_TEXT.entries()) {
    // A forged name becomes a slug key; the name itself is kept, exactly, in the file's values.
    const named = readdirSync(join(cwd, 'imported')).filter((file) => file.startsWith(forged.text[0]! + '-'));
    assert.is(named.length, 1, forged.name);
    const values = load(readFileSync(join(cwd, 'imported', named[0]!), 'utf8'));
    assert.ok(JSON.stringify(values).includes(JSON.stringify(forged.text)), `${forged.name}: the name re-reads exactly`);
    const file = readFileSync(join(cwd, 'imported', `forged-${i}.yaml`), 'utf8');
    const product = load(file) as { description: string; labels: Record<string, string> };
    assert.is(product.description, forged.text, forged.name);
    assert.is(product.labels.note, forged.text, forged.name);
  }
});

test('apply: a server error body with escapes and newlines is escaped in the report and the Error line', async () => {
  const { cwd, emulator } = await forgedPortal();
  const forged = FORGED_TEXT.map((f) => f.text).join(' ');
  const hostile: HostileServer = await startHostileServer(emulator.url, (request, response) => {
    if (request.method !== 'PUT' || !request.path.startsWith('/api/api_products/')) return false;
    response.writeHead(422, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error_msg: forged }));
    return true;
  });
  running.push(hostile);
  const config = join(cwd, 'apiproducts.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(emulator.url, hostile.url));
  const apply = await runCli(['apply', '--auto-approve', '--prune'], { cwd, env: TARGET_ENV });
  assert.is(apply.code, 4, apply.stdout + apply.stderr);
  assert.match(apply.stdout, 'FAILED', 'the report names the failed update');
  // The transport keeps a server's words on one line (whitespace collapsed); the escaper shows the ESC.
  assert.match(apply.stdout, 'x\\u001B[2K Plan: 0 to create ::error::forged');
  assert.match(apply.stdout, 'skipped     delete api7-prod/x\\u001B[2K\\u000DPlan: 0 to create\\u000A::error::forged', 'the orphan\'s skipped delete');
  assertInert(apply.stdout + apply.stderr, 'apply');

  const json = await runCli(['apply', '--auto-approve', '--format', 'json'], { cwd, env: TARGET_ENV });
  assertInert(json.stdout + json.stderr, 'apply --format json');
  const failed = JSON.parse(json.stdout).report.results.find((r: { outcome: string }) => r.outcome === 'failed');
  assert.ok(failed.message.includes(forged.replace(/\s+/g, ' ').slice(0, 40)), 'JSON carries the server\'s words');
});

test('a lock record read back with a forged holder: unlock and a waiting apply name it escaped', async () => {
  const { cwd, emulator } = await exampleAgainstEmulator();
  running.push(emulator);
  const nonce = '0badc0de0badc0de';
  const holder = { host: FORGED_TEXT[0]!.text, user: FORGED_TEXT[1]!.text, pid: 7, command: FORGED_TEXT[2]!.text };
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
  const ticket = { nonce, holder, acquiredAt: new Date().toISOString(), expiresAt };
  // The record as another run (or anyone with a token) would write it: the body locks.ts reads.
  const document = { openapi: '3.0.3', info: { title: 'lock', version: '1' }, paths: {}, 'x-apiproducts-lock': ticket };
  await otherClient(emulator, 'POST', `/api/api_products?portal_id=${PORTAL}`, {
    name: `apiproducts.lock.${nonce}`, type: 'external', status: 'draft', labels: { 'apiproducts-lock': 'v1' }, raw_openapi: JSON.stringify(document), server_urls: ['https://apiproducts-lock.invalid'],
  });
  const unlock = await runCli(['unlock', 'api7-prod'], { cwd, env: TARGET_ENV });
  assert.is(unlock.code, 1, unlock.stdout + unlock.stderr);
  assert.match(unlock.stdout, 'Target api7-prod is locked by `z\\u202Eevil');
  assertInert(unlock.stdout + unlock.stderr, 'unlock');
  const apply = await runCli(['apply', '--auto-approve', '--lock-timeout', '0'], { cwd, env: TARGET_ENV });
  assert.is(apply.code, 1, apply.stdout + apply.stderr);
  assert.match(apply.stderr, 'on x\\u001B[2K\\u000DPlan: 0 to create\\u000A::error::forged by y\\u000D\\u000A::add-mask::secret');
  assertInert(apply.stdout + apply.stderr, 'apply under a forged lock');
});

test.run();
