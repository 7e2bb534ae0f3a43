/**
 * Apigee Edge tokens from a local Edge OAuth2 service (src/sandbox/apigee/token-endpoint.ts):
 * the password grant (with MFA), the SAML passcode, the refresh token; a token that dies mid-run
 * is renewed once, concurrent refusals cause one renewal, and nothing secret is in any message.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SecretMasker } from '../../src/model/masker.ts';
import { apigee, createApigeeProvider } from '../../src/providers/apigee/index.ts';
import { startApigeeEmulator, type ApigeeEmulator, type ApigeeEmulatorOptions } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState } from '../../src/sandbox/apigee/state.ts';
import { startTokenEndpoint, type TokenEndpoint, type TokenEndpointOptions } from '../../src/sandbox/apigee/token-endpoint.ts';
import { apigeeProduct, changeFor, ORG } from './apigee-fixtures.ts';
import { assertNoSecrets, createFailureLog, realTarget } from './apigee-harness.ts';

const USER = 'ci@example.com';
const PASSWORD = 'edge-SENTINEL-password-31';
const PASSCODE = 'SENTINEL-passcode-9f2c';
const MFA = '492817';
const { messages, failure } = createFailureLog();

interface Rig {
  emulator: ApigeeEmulator;
  tokens: TokenEndpoint;
}

async function withRig(options: TokenEndpointOptions, run: (rig: Rig) => Promise<void>, beforeAnswer?: ApigeeEmulatorOptions['beforeAnswer']): Promise<void> {
  const tokens = await startTokenEndpoint({ users: { [USER]: PASSWORD }, ...options });
  const emulator = await startApigeeEmulator({ flavour: 'edge', org: ORG, credentials: { issuer: tokens.issuer }, state: seedApigeeState(ORG), now: () => 1767225600000, ...(beforeAnswer ? { beforeAnswer } : {}) });
  try {
    await run({ emulator, tokens });
  } finally {
    await emulator.close();
    await tokens.close();
  }
}

const passwordTarget = (rig: Rig, extra: Record<string, unknown> = {}) =>
  realTarget(rig.emulator, 'edge', { auth: 'oauth', usernameEnv: 'EDGE_USER', passwordEnv: 'EDGE_PASSWORD', tokenUrl: rig.tokens.edgeTokenUrl, ...extra });
const passwordEnv = { EDGE_USER: USER, EDGE_PASSWORD: PASSWORD };
const grantsOf = (rig: Rig): string[] => rig.tokens.grants.map((grant) => `${grant.grant} ${grant.status}`);

test('oauth: one password grant, then the token is reused; expired by use, it is renewed with the refresh token', async () => {
  await withRig({ requestsPerToken: 2 }, async (rig) => {
    const secrets = new SecretMasker();
    const provider = apigee.connect(passwordTarget(rig), { url: rig.emulator.url, env: passwordEnv, secrets });
    for (let run = 0; run < 5; run++) assert.is((await provider.observe()).length, 2);
    // 5 reads, 2 per token: 3 tokens; each death is seen as one 401 and one resend.
    assert.equal(grantsOf(rig), ['password 200', 'refresh_token 200', 'refresh_token 200']);
    assert.is(rig.emulator.requests.filter((request) => request.status === 401).length, 2);
    assert.ok(secrets.mask(`p=${PASSWORD}`).includes('***'), 'the password is registered with the masker');
  });
});

test('oauth with MFA: the code is sent with the password grant; without it the grant is refused, clearly', async () => {
  await withRig({ mfaCode: MFA }, async (rig) => {
    const target = passwordTarget(rig, { mfaTokenEnv: 'EDGE_MFA' });
    assert.is((await apigee.connect(target, { url: rig.emulator.url, env: { ...passwordEnv, EDGE_MFA: MFA } }).observe()).length, 2);
    const refused = await failure(apigee.connect(target, { url: rig.emulator.url, env: passwordEnv }).observe());
    assert.match(refused.message, `target sandbox-apigee: the Apigee Edge token endpoint ${rig.tokens.edgeTokenUrl} refused the password grant (Bad credentials): check the credentials the target names`);
    assert.not.ok(refused.retryable);
  });
});

test('a wrong password: one refused grant, no management request, no secret in the message', async () => {
  await withRig({}, async (rig) => {
    const error = await failure(apigee.connect(passwordTarget(rig), { url: rig.emulator.url, env: { ...passwordEnv, EDGE_PASSWORD: 'SENTINEL-wrong-password' } }).observe());
    assert.match(error.message, 'refused the password grant (Bad credentials)');
    assert.equal(grantsOf(rig), ['password 401']);
    assert.is(rig.emulator.requests.length, 0);
  });
});

test('saml: a single-use passcode signs in once; renewals use the refresh token, never the spent passcode', async () => {
  await withRig({ passcodes: [PASSCODE], requestsPerToken: 1 }, async (rig) => {
    const target = realTarget(rig.emulator, 'edge', { auth: 'saml', passcodeEnv: 'EDGE_PASSCODE', tokenUrl: rig.tokens.edgeTokenUrl });
    const provider = apigee.connect(target, { url: rig.emulator.url, env: { EDGE_PASSCODE: PASSCODE } });
    for (let run = 0; run < 3; run++) await provider.observe();
    assert.equal(grantsOf(rig), ['password 200', 'refresh_token 200', 'refresh_token 200']);
    // A second run with the same passcode: refused, and said so.
    const again = await failure(apigee.connect(target, { url: rig.emulator.url, env: { EDGE_PASSCODE: PASSCODE } }).observe());
    assert.match(again.message, 'refused the passcode grant');
  });
});

test('refreshTokenEnv: a refresh token from get_token is used first, no password needed', async () => {
  await withRig({}, async (rig) => {
    // Obtain a refresh token as get_token would, with the password grant.
    const seed = apigee.connect(passwordTarget(rig), { url: rig.emulator.url, env: passwordEnv });
    await seed.observe();
    const answer = rig.tokens.grants.length;
    assert.is(answer, 1);
    const refreshToken = rig.tokens.lastRefreshToken();
    const target = realTarget(rig.emulator, 'edge', { auth: 'oauth', refreshTokenEnv: 'EDGE_REFRESH', tokenUrl: rig.tokens.edgeTokenUrl });
    assert.is((await apigee.connect(target, { url: rig.emulator.url, env: { EDGE_REFRESH: refreshToken } }).observe()).length, 2);
    assert.equal(grantsOf(rig), ['password 200', 'refresh_token 200']);
    const stale = await failure(apigee.connect(target, { url: rig.emulator.url, env: { EDGE_REFRESH: 'SENTINEL-stale-refresh' } }).observe());
    assert.match(stale.message, 'refused the refresh token (Invalid refresh token); set usernameEnv and passwordEnv, or a fresh refresh token');
  });
});

test('N writes in flight that see the same dead token cause ONE renewal, and all succeed', async () => {
  await withRig({ requestsPerToken: 1 }, async (rig) => {
    const provider = apigee.connect(passwordTarget(rig), { url: rig.emulator.url, env: passwordEnv });
    const live = await provider.observe(); // spends the first token's one request
    assert.is(live.length, 2);
    rig.tokens.setRequestsPerToken(undefined);
    const names = ['identity', 'loyalty', 'weather'];
    const results = await Promise.all(
      names.flatMap((name) => apigee.toDesired(apigeeProduct(name), passwordTarget(rig)).map((desired) => provider.apply(changeFor('create', desired)))),
    );
    for (const result of results) assert.is(result.error, undefined, String(result.error));
    // Every write in flight was refused with the dead token, and all of them waited for one renewal.
    const refused = rig.emulator.requests.filter((request) => request.status === 401).length;
    assert.ok(results.length >= 3 && refused === results.length, `${refused} refused of ${results.length}`);
    assert.equal(grantsOf(rig), ['password 200', 'refresh_token 200']);
  });
});

test('a 401 that arrives after another request already renewed the token: resent with the new one, no second renewal', async () => {
  let rig: Rig | undefined;
  let held = false;
  // The loyalty create is held (with the dead token) until the identity create has been renewed and resent.
  const holdLoyalty: ApigeeEmulatorOptions['beforeAnswer'] = async ({ method, body }) => {
    if (method !== 'POST' || !body.includes('"loyalty') || held) return;
    held = true;
    while (!rig!.emulator.requests.some((request) => request.method === 'POST' && request.status === 201)) await new Promise((resolve) => setTimeout(resolve, 2));
  };
  await withRig({ requestsPerToken: 1 }, async (started) => {
    rig = started;
    const provider = apigee.connect(passwordTarget(started), { url: started.emulator.url, env: passwordEnv });
    await provider.observe(); // spends the first token
    started.tokens.setRequestsPerToken(undefined);
    const creates = ['identity', 'loyalty'].map((name) => provider.apply(changeFor('create', apigee.toDesired(apigeeProduct(name), passwordTarget(started))[0]!)));
    for (const result of await Promise.all(creates)) assert.is(result.error, undefined, String(result.error));
    assert.ok(held);
    assert.equal(grantsOf(started), ['password 200', 'refresh_token 200']);
  }, holdLoyalty);
});

test('a token refused again right after renewal is a clear auth error, sent twice only (no retry-layer loop)', async () => {
  await withRig({ requestsPerToken: 0 }, async (rig) => {
    const error = await failure(apigee.connect(passwordTarget(rig), { url: rig.emulator.url, env: passwordEnv }).observe());
    assert.is(error.status, 401);
    assert.not.ok(error.retryable);
    assert.match(error.message, 'refused again with newly obtained credentials: check the account and its roles on this organization');
    assert.is(rig.emulator.requests.length, 2);
    assert.equal(grantsOf(rig), ['password 200', 'refresh_token 200']);
  });
});

test('a token near its expires_in is renewed before it is sent (no 401 at all)', async () => {
  let clock = 1_000_000;
  await withRig({ expiresIn: 300 }, async (rig) => {
    const provider = createApigeeProvider(passwordTarget(rig), { url: rig.emulator.url, env: passwordEnv }, { now: () => clock });
    await provider.observe();
    clock += 200_000; // 100 s left: still more than the margin
    await provider.observe();
    clock += 60_000; // 40 s left: renewed first
    await provider.observe();
    assert.equal(grantsOf(rig), ['password 200', 'refresh_token 200']);
    assert.is(rig.emulator.requests.filter((request) => request.status === 401).length, 0);
  });
});

for (const [order, failing] of [['401, then a 503 on the resend', 2], ['a 503, then a 401 on the retry', 1]] as const) {
  test(`the one retry layer and the one resend compose: ${order}; 3 requests, one renewal, no double retry`, async () => {
    await withRig({ requestsPerToken: 1 }, async (rig) => {
      const provider = createApigeeProvider(passwordTarget(rig), { url: rig.emulator.url, env: passwordEnv }, { sleep: async () => {} });
      await provider.observe(); // spends the first token
      rig.tokens.setRequestsPerToken(undefined);
      rig.emulator.faults.configure({ rules: [{ method: 'GET', path: '/apiproducts', nth: failing, fault: 'fail', status: 503 }] });
      const before = rig.emulator.requests.length;
      assert.is((await provider.observe()).length, 2);
      const statuses = rig.emulator.requests.slice(before).map((request) => request.status);
      assert.equal(statuses, failing === 2 ? [401, 503, 200] : [503, 401, 200]);
      assert.equal(grantsOf(rig), ['password 200', 'refresh_token 200']);
    });
  });
}

test('no message contains a password, passcode, code or token', () => {
  assert.ok(messages.length >= 5, String(messages.length));
  assertNoSecrets(messages, [PASSWORD, PASSCODE, MFA]);
  for (const message of messages) assert.not.match(message, /sandbox-(access|refresh)-/);
});

test.run();
