import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { copyExampleProject, onlyApi7Binding, runCli, type CliResult } from '../helpers/project.ts';

const SENTINEL = 'sentinel-secret-123';
let emulator: Api7Emulator;

test.before(async () => {
  emulator = await startApi7Emulator({ token: SENTINEL, state: seedApi7State() });
});
test.after(async () => emulator.close());

/** The example products, bound to a real (non-sandbox) target that reads its token from API7_TOKEN. */
function projectAgainstEmulator(): string {
  const cwd = copyExampleProject();
  writeFileSync(
    join(cwd, 'apiproducts.yaml'),
    `targets:\n  api7-prod:\n    provider: api7\n    url: ${emulator.url}\n    portal: default\n    tokenEnv: API7_TOKEN\n`,
  );
  for (const name of ['payments', 'orders', 'identity', 'weather', 'loyalty']) {
    const file = join(cwd, 'products', `${name}.yaml`);
    writeFileSync(file, onlyApi7Binding(readFileSync(file, 'utf8')).replace('sandbox-api7:', 'api7-prod:'));
  }
  return cwd;
}

function assertNoSecret(result: CliResult, what: string): void {
  assert.not.ok(result.stdout.includes(SENTINEL), `${what}: token on stdout`);
  assert.not.ok(result.stderr.includes(SENTINEL), `${what}: token on stderr`);
}

test('the token from API7_TOKEN is sent to the target and appears in no output, plan file or error', async () => {
  const cwd = projectAgainstEmulator();
  const env = { API7_TOKEN: SENTINEL };
  const runs: [string, string[]][] = [
    ['validate', ['validate']],
    ['plan', ['plan']],
    ['plan json', ['plan', '--format', 'json', '--out', 'plan.json']],
    ['dry run', ['apply', '--dry-run', '--format', 'json']],
    ['apply', ['apply', '--auto-approve']],
    ['plan after apply', ['plan', '--detailed-exitcode']],
  ];
  for (const [what, args] of runs) {
    const result = await runCli(args, { cwd, env });
    assert.ok([0].includes(result.code), `${what} exited ${result.code}: ${result.stderr}`);
    assertNoSecret(result, what);
  }
  assert.not.ok(readFileSync(join(cwd, 'plan.json'), 'utf8').includes(SENTINEL), 'token in the plan file');
});

test('a refused token is a one-line error naming the target and status, without the token sent', async () => {
  const cwd = projectAgainstEmulator();
  const result = await runCli(['plan'], { cwd, env: { API7_TOKEN: `${SENTINEL}-wrong` } });
  assert.is(result.code, 1);
  assert.match(result.stderr, /target api7-prod: .*401/);
  assertNoSecret(result, 'refused token');
  assert.not.match(result.stderr, /\n\s+at .+:\d+:\d+/);
});

test('a missing token variable is named, and nothing is sent', async () => {
  const cwd = projectAgainstEmulator();
  const before = emulator.requests.length;
  const result = await runCli(['plan'], { cwd, env: {} });
  assert.is(result.code, 1);
  assert.match(result.stderr, 'API7_TOKEN');
  assert.is(emulator.requests.length, before);
});

test.run();
