/**
 * `protected: false` together with a change that needs an unpublish (an API7 auth change on a
 * published product: unpublish → update → publish; or `status: draft`): the unpublish is refused
 * while the portal's marker still protects the product, and the update carrying `protected: false`
 * waited behind it, so every apply skipped all three. The plan removes the protection first, alone,
 * says why, and the next apply does the rest. Through the CLI on the API7 sandbox.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyExampleProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';

for (const [what, edit] of [
  ['an auth change', (text: string) => text.replace(/^auth: \[key-auth\]$/m, 'auth: [basic-auth]')],
  ['status: draft', (text: string) => text.replace(/^status: published$/m, 'status: draft')],
] as const) {
  test(`protected: false with ${what} on a published product: protection first, the rest on the next apply`, async () => {
    const cwd = copyExampleProject();
    const cli = (...args: string[]) => runCli(args, { cwd });
    assert.is((await cli('apply', '--auto-approve', '--allow-destructive')).code, 0);
    const file = join(cwd, 'products', 'payments.yaml');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^protected: true$/m, 'the fixture this test is written against');
    writeFileSync(file, edit(text.replace(/^protected: true$/m, 'protected: false')));
    const plan = await cli('plan', '--target', 'sandbox-api7', '--format', 'json');
    const parsed = JSON.parse(plan.stdout) as { changes: { key: string; action: string; fields: { path: string }[] }[]; diagnostics: { rule: string; message: string }[] };
    const payments = parsed.changes.filter((change) => change.key === 'payments');
    assert.equal(payments.map((change) => [change.action, change.fields.map((field) => field.path)]), [['update', ['protected']]]);
    assert.ok(parsed.diagnostics.some((d) => d.rule === 'plan/unprotect-first' && d.message.startsWith('payments: this plan only removes its protection')), plan.stdout);
    assert.is((await cli('apply', '--auto-approve', '--allow-destructive', '--target', 'sandbox-api7')).code, 0);
    const second = await cli('apply', '--auto-approve', '--allow-destructive', '--target', 'sandbox-api7');
    assert.is(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /applied +unpublish sandbox-api7\/payments/);
    assert.is((await cli('plan', '--target', 'sandbox-api7', '--detailed-exitcode')).code, 0);
  });
}

test.run();
