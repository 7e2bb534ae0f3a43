/**
 * `ignore:` leaves a field to the portal: an edit of it there is no change outside Git. The
 * last-applied marker used to cover the ignored fields too, so after such an edit every later Git
 * change of the product was reported as "changed outside Git" (drift told the team to keep a
 * dashboard edit nobody made). Through the CLI, against the API7 emulator as a real target.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { exampleAgainstEmulator, TARGET_ENV } from '../helpers/real-target.ts';

test('a portal edit of an ignored field, then a Git change of another: not yet applied, not changed outside Git', async () => {
  const { cwd, emulator } = await exampleAgainstEmulator();
  try {
    const config = join(cwd, 'apiproducts.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('tokenEnv: API7_TOKEN\n', 'tokenEnv: API7_TOKEN\n    ignore: [description]\n'));
    const cli = (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV });
    assert.is((await cli('apply', '--auto-approve', '--allow-destructive')).code, 0);
    assert.is((await cli('drift')).code, 0);
    const weather = () => emulator.state.products['portal-default']!.find((product) => product.labels?.['apiproducts-name'] === 'weather')!;
    weather().desc = 'marketing copy, edited in the dashboard';
    assert.is((await cli('drift')).code, 0, 'the ignored field is the portal\'s');
    const file = join(cwd, 'products', 'weather.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^displayName: (.*)$/m, 'displayName: $1 v2'));
    const drift = await cli('drift', '--format', 'json');
    assert.is(drift.code, 2);
    const items = (JSON.parse(drift.stdout).items as { key: string; kind: string }[]).filter((item) => item.key === 'weather');
    assert.equal(items.map((item) => item.kind), ['not-yet-applied']);
    // Applied: the description stays the portal's, and the next drift is clean.
    assert.is((await cli('apply', '--auto-approve', '--allow-destructive')).code, 0);
    assert.is(weather().desc, 'marketing copy, edited in the dashboard');
    assert.is((await cli('drift')).code, 0);
    // A real edit outside Git of a field that is not ignored still shows as one.
    weather().visibility = 'logged_in';
    const edited = await cli('drift', '--format', 'json');
    assert.equal((JSON.parse(edited.stdout).items as { key: string; kind: string }[]).filter((item) => item.key === 'weather').map((item) => item.kind), ['changed-outside-git']);
  } finally {
    await emulator.close();
  }
});

test.run();
