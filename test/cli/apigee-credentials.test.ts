/**
 * The CLI against a real-style Apigee Edge target that signs in with OAuth (auth: oauth) at a
 * local Edge OAuth2 service whose tokens die after a few requests: an apply of many changes
 * succeeds with renewals instead of failed changes, and a wrong password is a clear one-line error,
 * exit 1, with no stack and no secret anywhere in the output.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState } from '../../src/sandbox/apigee/state.ts';
import { startTokenEndpoint, type TokenEndpoint } from '../../src/sandbox/apigee/token-endpoint.ts';
import { runCli, writeProject, type CliResult } from '../helpers/project.ts';

const USER = 'release-bot@example.com';
const PASSWORD = 'cli-SENTINEL-password-604';
const PRODUCTS = 60;
/**
 * Tokens die after this many requests. More than twice the writes in flight (concurrency 8): a
 * renewed token then outlives the resends waiting for it, as a real token (good for 30 minutes)
 * does; fewer would make the emulator kill fresh tokens no real server kills.
 */
const REQUESTS_PER_TOKEN = 20;
let emulator: ApigeeEmulator;
let tokens: TokenEndpoint;

test.before(async () => {
  tokens = await startTokenEndpoint({ users: { [USER]: PASSWORD }, requestsPerToken: REQUESTS_PER_TOKEN });
  emulator = await startApigeeEmulator({ flavour: 'edge', org: 'sandbox', credentials: { issuer: tokens.issuer }, state: seedApigeeState('sandbox') });
});
test.after(async () => {
  await emulator.close();
  await tokens.close();
});

function project(): string {
  const files: Record<string, string> = {
    'apiproducts.yaml': `targets:
  apigee-prod:
    provider: apigee
    flavour: edge
    org: sandbox
    url: ${emulator.url}/v1
    auth: oauth
    usernameEnv: APIGEE_USERNAME
    passwordEnv: APIGEE_PASSWORD
    tokenUrl: ${tokens.edgeTokenUrl}
concurrency: 8
`,
  };
  for (let i = 0; i < PRODUCTS; i++) {
    const name = `bulk-${String(i).padStart(2, '0')}`;
    files[`products/${name}.yaml`] = `name: ${name}
displayName: Bulk product ${i}
description: One of many products applied while tokens expire.
status: published
visibility: public
targets:
  apigee-prod:
    proxies: [payments-v1]
    environments: [prod]
`;
  }
  return writeProject(files);
}

function assertClean(result: CliResult, what: string): void {
  for (const stream of [result.stdout, result.stderr]) {
    assert.not.ok(stream.includes(PASSWORD), `${what}: password in output`);
    assert.not.ok(/sandbox-(access|refresh)-/.test(stream), `${what}: a token in output`);
  }
  assert.not.match(result.stderr, /\n\s+at .+:\d+:\d+/, `${what}: a stack trace`);
}

test('apply of many creates while tokens die every few requests: every change succeeds, renewals counted', async () => {
  const cwd = project();
  const env = { APIGEE_USERNAME: USER, APIGEE_PASSWORD: PASSWORD };
  const applied = await runCli(['apply', '--auto-approve'], { cwd, env });
  assert.is(applied.code, 0, applied.stdout.slice(-3000) + applied.stderr);
  assertClean(applied, 'apply');
  for (let i = 0; i < PRODUCTS; i++) assert.ok(emulator.state.products[`bulk-${String(i).padStart(2, '0')}`], `bulk-${i} created`);
  const management = emulator.requests.filter((request) => request.status !== 401).length;
  const passwordGrants = tokens.grants.filter((grant) => grant.grant === 'password').length;
  const renewals = tokens.grants.filter((grant) => grant.grant === 'refresh_token').length;
  // One sign-in per process (apply is one), then one renewal per token spent, not one per refused request.
  assert.is(passwordGrants, 1);
  assert.ok(renewals >= Math.floor(management / REQUESTS_PER_TOKEN) - 1 && renewals <= Math.ceil(management / REQUESTS_PER_TOKEN), `${renewals} renewals for ${management} requests`);
  const planned = await runCli(['plan', '--detailed-exitcode'], { cwd, env });
  assert.is(planned.code, 0, planned.stdout + planned.stderr);
  assertClean(planned, 'plan after apply');
});

test('a wrong password: exit 1, one clear line naming the token endpoint, no stack, no secret', async () => {
  const cwd = project();
  const before = emulator.requests.length;
  const result = await runCli(['plan'], { cwd, env: { APIGEE_USERNAME: USER, APIGEE_PASSWORD: 'cli-SENTINEL-wrong' } });
  assert.is(result.code, 1);
  assert.match(result.stderr, `the Apigee Edge token endpoint ${tokens.edgeTokenUrl} refused the password grant (Bad credentials)`);
  assert.not.ok(result.stderr.includes('cli-SENTINEL-wrong'));
  assertClean(result, 'wrong password');
  assert.is(emulator.requests.length, before, 'nothing reached the management server');
});

test.run();
