/**
 * A label key may hold a dot (`cost.center`): the plan once split its field path on dots again and
 * found no difference, so the label was never written and no plan showed it. Round trip through
 * the CLI on both sandbox targets (API7 labels, Apigee attributes): plan shows it, apply writes
 * it, the next plan is empty.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyExampleProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';

test('a label cost.center added in Git is planned on both targets, applied, and then in step', async () => {
  const cwd = copyExampleProject();
  const cli = (...args: string[]) => runCli(args, { cwd });
  assert.is((await cli('apply', '--auto-approve', '--allow-destructive')).code, 0);
  assert.is((await cli('plan', '--detailed-exitcode')).code, 0);
  const file = join(cwd, 'products', 'orders.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^team: (.*)$/m, 'team: $1\nlabels: {cost.center: eng}'));
  const plan = await cli('plan', '--format', 'json', '--detailed-exitcode');
  assert.is(plan.code, 2, plan.stdout + plan.stderr);
  const fields = (JSON.parse(plan.stdout).changes as { key: string; target: string; fields: { path: string; after?: unknown }[] }[])
    .filter((change) => change.key === 'orders')
    .map((change) => [change.target, change.fields.find((field) => field.path.endsWith('cost.center'))]);
  assert.equal(fields, [
    ['sandbox-api7', { path: 'labels.cost.center', after: 'eng' }],
    ['sandbox-apigee', { path: 'attributes.cost.center', after: 'eng' }],
  ]);
  assert.is((await cli('apply', '--auto-approve', '--allow-destructive')).code, 0);
  const after = await cli('plan', '--detailed-exitcode');
  assert.is(after.code, 0, after.stdout);
});

test.run();
