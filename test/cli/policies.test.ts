/** Policies over the CLI: validate and plan fail on policy errors (nothing written), and show warnings with file:line. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCliInProcess } from '../helpers/cli-in-process.ts';
import { copyExampleProject } from '../helpers/project.ts';

/**
 * The example project with `policies` appended to its apiproducts.yaml, and its public payments
 * product without its auth: public with no auth on the API7 gateway, the finding every test reads.
 * Its Apigee binding and the public external weather product pass (auth does not protect them).
 */
function projectWith(policies: string): string {
  const cwd = copyExampleProject();
  const config = join(cwd, 'apiproducts.yaml');
  writeFileSync(config, readFileSync(config, 'utf8') + policies);
  const payments = join(cwd, 'products', 'payments.yaml');
  writeFileSync(payments, readFileSync(payments, 'utf8').replace('auth: [key-auth]\n', ''));
  return cwd;
}

const PAYMENTS = 'products/payments.yaml:9:1';
const policy = (severity: string) => `policies:\n  public-requires-auth:\n    severity: ${severity}\n`;

test('validate: a policy error fails with exit 1 and the file:line; as a warning it passes with exit 0', async () => {
  const failing = await runCliInProcess(['validate'], { cwd: projectWith(policy('error')) });
  assert.is(failing.code, 1);
  assert.match(failing.stderr, `${PAYMENTS} error [policy/public-requires-auth] product "payments" is public on target sandbox-api7 but declares no auth`);
  assert.match(failing.stderr, 'validation failed with 1 error');
  assert.not.match(failing.stderr, /weather|sandbox-apigee/, 'the external product and the Apigee binding pass');
  assert.not.match(failing.stderr, /\n\s+at /, 'no stack trace');

  const warning = await runCliInProcess(['validate'], { cwd: projectWith(policy('warning')) });
  assert.is(warning.code, 0);
  assert.match(warning.stderr, `${PAYMENTS} warning [policy/public-requires-auth]`);
  assert.match(warning.stdout, '1 warning');
});

test('validate: an exempted product passes; a bad policy setting fails at its line', async () => {
  const exempted = `${policy('error')}    exempt:\n      - product: payments\n        reason: "the payments service checks its own signed requests"\n`;
  const passed = await runCliInProcess(['validate'], { cwd: projectWith(exempted) });
  assert.is(passed.code, 0, passed.stderr);
  assert.not.match(passed.stderr, 'policy/');

  const cwd = projectWith(policy('error').replace('public-requires-auth', 'public-requires-oauth'));
  const bad = await runCliInProcess(['validate'], { cwd });
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /apiproducts\.yaml:\d+:3 error \[schema\/additional-properties\] unknown field "public-requires-oauth" in policies\n  fix: did you mean "public-requires-auth"\?/);
});

test('plan: a policy error fails before any target is read, exit 1, and --out is not written', async () => {
  const cwd = projectWith(policy('error'));
  const result = await runCliInProcess(['plan', '--out', 'plan.json'], { cwd });
  assert.is(result.code, 1);
  assert.match(result.stderr, `${PAYMENTS} error [policy/public-requires-auth]`);
  assert.not.ok(existsSync(join(cwd, 'plan.json')), 'nothing written');
  assert.not.ok(existsSync(join(cwd, '.apiproducts')), 'no sandbox was started');
});

test('plan: policy warnings are shown in text, Markdown and JSON with the product and file:line, and do not fail', async () => {
  const cwd = projectWith(policy('warning'));
  const text = await runCliInProcess(['plan', '--detailed-exitcode'], { cwd });
  assert.is(text.code, 2, 'changes pending, not a failure');
  assert.match(text.stdout, `${PAYMENTS} warning [policy/public-requires-auth] product "payments" is public on target sandbox-api7 but declares no auth`);

  const markdown = await runCliInProcess(['plan', '--format', 'markdown'], { cwd });
  assert.is(markdown.code, 0);
  assert.match(markdown.stdout, `- ⚠️ ${PAYMENTS} \\[policy/public-requires-auth\\] product &quot;payments&quot; is public`);

  const json = await runCliInProcess(['plan', '--format', 'json'], { cwd });
  assert.is(json.code, 0);
  const plan = JSON.parse(json.stdout) as { diagnostics: { rule: string; product?: string; target?: string; source?: { file: string; line: number } }[] };
  const found = plan.diagnostics.find((d) => d.rule === 'policy/public-requires-auth');
  assert.equal(found && { product: found.product, target: found.target, source: found.source }, {
    product: 'payments',
    target: 'sandbox-api7',
    source: { file: 'products/payments.yaml', line: 9, column: 1 },
  });
});

test('plan: a rule in policies/*.yaml applies as one in apiproducts.yaml does', async () => {
  const cwd = copyExampleProject();
  mkdirSync(join(cwd, 'policies'));
  writeFileSync(join(cwd, 'policies', 'naming.yaml'), "name-pattern:\n  severity: error\n  pattern: '^[a-z]{1,7}$'\n");
  const result = await runCliInProcess(['plan'], { cwd });
  assert.is(result.code, 1);
  assert.match(result.stderr, 'products/payments.yaml:2:1 error [policy/name-pattern] product name "payments" does not match the pattern "^[a-z]{1,7}$"');
  assert.match(result.stderr, 'products/identity.yaml');
});

test.run();
