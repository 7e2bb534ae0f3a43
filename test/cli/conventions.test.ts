/** The CLI conventions a Terraform user expects (issue 20): hints that repeat the run, no second approval, typos named. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { wantsColour } from '../../src/commands/io.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { copyExampleProject } from '../helpers/project.ts';

test('the apply hint repeats --chdir, --config, --target and --prune, and adds --allow-destructive for high-risk changes', async () => {
  const project = copyExampleProject();
  const parent = join(project, '..');
  const chdir = project.slice(parent.length + 1);
  const plan = await runCli(['plan', '--chdir', chdir, '--config', 'apiproducts.yaml', '--target', 'sandbox-api7', '--prune'], { cwd: parent });
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, `To apply these changes, run:\n  npx apiproducts apply --chdir ${chdir} --config apiproducts.yaml --target sandbox-api7 --prune\n`);
  // An unpublish is high risk: apply would skip it without the flag, so the hint carries it.
  const orders = join(project, 'products', 'orders.yaml');
  writeFileSync(orders, readFileSync(orders, 'utf8').replace('status: published', 'status: draft'));
  const risky = await runCli(['plan'], { cwd: project });
  assert.match(risky.stdout, 'To apply these changes, run:\n  npx apiproducts apply --allow-destructive\n');
  const saved = await runCli(['plan', '--out', 'my plan.json'], { cwd: project });
  assert.match(saved.stdout, "To apply exactly this plan, run:\n  npx apiproducts apply 'my plan.json' --allow-destructive\n");
});

test('apply PLAN_FILE does not ask again: the saved plan was the approval', async () => {
  const cwd = copyExampleProject();
  assert.is((await runCli(['plan', '--out', 'plan.json'], { cwd })).code, 0);
  // The example narrows a product (an environment added by hand goes): high risk.
  const apply = await runCli(['apply', 'plan.json', '--allow-destructive'], { cwd });
  assert.is(apply.code, 0, apply.stderr);
  assert.match(apply.stdout, 'Apply complete!');
  const unapproved = await runCli(['apply'], { cwd });
  assert.is(unapproved.code, 0, 'nothing left to apply, so nothing to confirm');
});

test('a mistyped flag gets "did you mean"', async () => {
  const cwd = copyExampleProject();
  const unknown = await runCli(['apply', '--auto-aprove'], { cwd });
  assert.is(unknown.code, 1);
  assert.is(unknown.stderr, 'Error: unknown option --auto-aprove; did you mean --auto-approve?; run `apiproducts --help`\n');
  const misplaced = await runCli(['plan', '--dry-rn'], { cwd });
  assert.match(misplaced.stderr, 'did you mean --dry-run?');
  const wrongCommand = await runCli(['plan', '--auto-approve'], { cwd });
  assert.match(wrongCommand.stderr, 'plan does not take --auto-approve; see `apiproducts plan --help`');
});

test('colour: NO_COLOR wins, then FORCE_COLOR, then whether stdout is a terminal', () => {
  assert.is(wantsColour({}, true), true);
  assert.is(wantsColour({}, false), false);
  assert.is(wantsColour({ TERM: 'dumb' }, true), false);
  assert.is(wantsColour({ FORCE_COLOR: '1' }, false), true);
  assert.is(wantsColour({ FORCE_COLOR: '0' }, true), false);
  assert.is(wantsColour({ FORCE_COLOR: 'false' }, true), false);
  assert.is(wantsColour({ NO_COLOR: '1', FORCE_COLOR: '1' }, true), false);
  assert.is(wantsColour({ NO_COLOR: '' }, true), true, 'an empty NO_COLOR is unset (no-color.org)');
});

test('--no-color is accepted by every command', async () => {
  const cwd = copyExampleProject();
  assert.is((await runCli(['validate', '--no-color'], { cwd })).code, 0);
});

test('--product narrows plan, apply and drift to those Git products; other products are out of scope', async () => {
  const cwd = copyExampleProject();
  const plan = await runCli(['plan', '--product', 'weather', '--format', 'json'], { cwd });
  assert.is(plan.code, 0, plan.stderr);
  const planned = JSON.parse(plan.stdout) as { changes: { product: string }[]; targets: { unmanaged: number; orphaned: string[] }[] };
  assert.ok(planned.changes.length > 0);
  assert.equal([...new Set(planned.changes.map((c) => c.product))], ['weather']);
  assert.equal(planned.targets.map((t) => [t.unmanaged, t.orphaned]), [[0, []], [0, []]], 'the other live products are neither unmanaged nor orphans here');
  const apply = await runCli(['apply', '--product', 'weather', '--auto-approve'], { cwd });
  assert.is(apply.code, 0, apply.stderr);
  const rest = await runCli(['plan', '--format', 'json'], { cwd });
  const left = (JSON.parse(rest.stdout) as { changes: { product: string }[] }).changes.map((c) => c.product);
  assert.ok(left.length > 0 && !left.includes('weather'), 'only weather was applied');
  const drift = await runCli(['drift', '--product', 'weather'], { cwd });
  assert.is(drift.code, 0, drift.stdout + drift.stderr);
});

test('--product: an unknown name is named with the nearest one; with --prune or a saved plan it is refused', async () => {
  const cwd = copyExampleProject();
  const typo = await runCli(['plan', '--product', 'wether'], { cwd });
  assert.is(typo.code, 1);
  assert.match(typo.stderr, 'unknown product "wether" in --product; did you mean "weather"?');
  const prune = await runCli(['plan', '--product', 'weather', '--prune'], { cwd });
  assert.match(prune.stderr, '--prune looks at every product apiproducts manages, so it cannot be narrowed with --product');
  assert.is((await runCli(['plan', '--out', 'plan.json'], { cwd })).code, 0);
  const saved = await runCli(['apply', 'plan.json', '--product', 'weather'], { cwd });
  assert.match(saved.stderr, '--target, --product and --prune belong on the `plan --out` command that made it');
});

test.run();
