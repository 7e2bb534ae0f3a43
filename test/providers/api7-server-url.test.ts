/**
 * An external product made by an older API7 release keeps one `server_url`; 3.9 reads both
 * spellings (reference §3, Round 2). Read as no server URLs it showed a change on every plan and
 * imported as `serverUrls: []`, which validate refuses. Over HTTP against the emulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi7Emulator } from '../../src/sandbox/api7/server.ts';
import { portalId, seedApi7State } from '../../src/sandbox/api7/state.ts';
import type { Api7Product } from '../../src/sandbox/api7/wire.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { TARGET_ENV, TOKEN } from '../helpers/real-target.ts';

const SPEC = 'openapi: 3.0.3\ninfo: {title: Weather, version: "1"}\npaths: {}\n';

test('a live external product with only server_url imports its URL and plans no change', async () => {
  const state = seedApi7State();
  state.products[portalId('default')]!.push({
    id: 'prod-weather-old', name: 'Weather', desc: 'Forecasts.', type: 'external', visibility: 'public', status: 'published',
    raw_openapi: SPEC, server_url: 'https://weather.example.com', created_at: 1, updated_at: 1,
  } as unknown as Api7Product);
  const emulator = await startApi7Emulator({ token: TOKEN, state });
  try {
    const config = `targets:\n  api7-prod:\n    provider: api7\n    url: ${emulator.url}\n    portal: default\n    tokenEnv: API7_TOKEN\n`;
    const cwd = writeProject({ 'apiproducts.yaml': config, 'products/.keep': '' });
    const cli = (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV });
    const imported = await cli('import', '--target', 'api7-prod', '--product', 'weather');
    assert.is(imported.code, 0, imported.stdout + imported.stderr);
    assert.match(readFileSync(join(cwd, 'products', 'weather.yaml'), 'utf8'), 'serverUrls: [https://weather.example.com]');
    const validated = await cli('validate');
    assert.is(validated.code, 0, validated.stdout + validated.stderr);
    const plan = await cli('plan', '--format', 'json');
    const weather = (JSON.parse(plan.stdout).changes as { key: string; fields: { path: string }[] }[]).filter((change) => change.key === 'weather');
    // Adopting writes the ownership marker; the server URLs already agree.
    assert.not.ok(weather.some((change) => change.fields.some((field) => field.path === 'serverUrls')), plan.stdout);
  } finally {
    await emulator.close();
  }
});

test.run();
