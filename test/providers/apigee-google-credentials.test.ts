/**
 * Apigee X tokens minted by google-auth-library from a service-account key (credentialsFile:, or
 * GOOGLE_APPLICATION_CREDENTIALS) and from an authorized_user file (gcloud ADC), against a local
 * fake Google token endpoint that checks the JWT bearer grant's RS256 signature with the key's
 * public key. The key's own token_uri points the grants there; nothing else is overridden.
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SecretMasker } from '../../src/model/masker.ts';
import { apigee } from '../../src/providers/apigee/index.ts';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState } from '../../src/sandbox/apigee/state.ts';
import { startTokenEndpoint, type TokenEndpoint, type TokenEndpointOptions } from '../../src/sandbox/apigee/token-endpoint.ts';
import { tempDir } from '../helpers/temp.ts';
import { ORG } from './apigee-fixtures.ts';
import { assertNoSecrets, createFailureLog, realTarget } from './apigee-harness.ts';

const ACCOUNT = 'apiproducts-ci@acme-apis.iam.gserviceaccount.com';
const { messages, failure } = createFailureLog();

function rsaKey(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
const KEY = rsaKey();
const OTHER_KEY = rsaKey();

/** A key file as the console downloads it (fields of a real one), with token_uri the local endpoint. */
function keyFile(tokenUri: string, privateKey = KEY.privateKey): string {
  const path = join(tempDir('apigee-key-'), 'sa.json');
  writeFileSync(path, JSON.stringify({
    type: 'service_account', project_id: 'acme-apis', private_key_id: 'k1', private_key: privateKey, client_email: ACCOUNT,
    client_id: '1234567890', auth_uri: 'https://accounts.google.com/o/oauth2/auth', token_uri: tokenUri, universe_domain: 'googleapis.com',
  }));
  return path;
}

interface Rig {
  emulator: ApigeeEmulator;
  tokens: TokenEndpoint;
}

async function withRig(options: TokenEndpointOptions, run: (rig: Rig) => Promise<void>): Promise<void> {
  const tokens = await startTokenEndpoint({ serviceAccounts: { [ACCOUNT]: KEY.publicKey }, ...options });
  const emulator = await startApigeeEmulator({ flavour: 'x', org: ORG, credentials: { issuer: tokens.issuer }, state: seedApigeeState(ORG), now: () => 1767225600000 });
  try {
    await run({ emulator, tokens });
  } finally {
    await emulator.close();
    await tokens.close();
  }
}
const grantsOf = (rig: Rig): string[] => rig.tokens.grants.map((grant) => `${grant.grant} ${grant.status}`);
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

test('credentialsFile: a signed JWT grant mints the token; it is reused, and renewed when the server refuses it', async () => {
  await withRig({ requestsPerToken: 2 }, async (rig) => {
    const secrets = new SecretMasker();
    const target = realTarget(rig.emulator, 'x', { credentialsFile: keyFile(rig.tokens.googleTokenUrl) });
    const provider = apigee.connect(target, { url: rig.emulator.url, env: {}, secrets });
    for (let run = 0; run < 4; run++) assert.is((await provider.observe()).length, 2);
    assert.equal(grantsOf(rig), [`${JWT_GRANT} 200`, `${JWT_GRANT} 200`]);
    assert.is(rig.emulator.requests.filter((request) => request.status === 401).length, 1);
    // The private key is registered with the masker, whole and by its start.
    assert.not.match(secrets.mask(KEY.privateKey), 'MII');
  });
});

test('a relative credentialsFile is read relative to apiproducts.yaml', async () => {
  await withRig({}, async (rig) => {
    const path = keyFile(rig.tokens.googleTokenUrl);
    const target = realTarget(rig.emulator, 'x', { credentialsFile: 'sa.json' });
    const placed = { ...target, source: { ...target.source, file: join(path, '..', 'apiproducts.yaml') } };
    assert.is((await apigee.connect(placed, { url: rig.emulator.url, env: {} }).observe()).length, 2);
  });
});

test('GOOGLE_APPLICATION_CREDENTIALS (ADC) with a service-account key: the same grant', async () => {
  await withRig({}, async (rig) => {
    const target = realTarget(rig.emulator, 'x', {});
    const env = { GOOGLE_APPLICATION_CREDENTIALS: keyFile(rig.tokens.googleTokenUrl) };
    assert.is((await apigee.connect(target, { url: rig.emulator.url, env }).observe()).length, 2);
    assert.equal(grantsOf(rig), [`${JWT_GRANT} 200`]);
  });
});

test('ADC with gcloud\'s authorized_user file: the refresh-token grant', async () => {
  await withRig({ userRefreshTokens: { 'gcloud-client.apps.googleusercontent.com': 'SENTINEL-user-refresh' } }, async (rig) => {
    const path = join(tempDir('apigee-adc-'), 'application_default_credentials.json');
    writeFileSync(path, JSON.stringify({ type: 'authorized_user', client_id: 'gcloud-client.apps.googleusercontent.com', client_secret: 'SENTINEL-client-secret', refresh_token: 'SENTINEL-user-refresh', token_uri: rig.tokens.googleTokenUrl }));
    const target = realTarget(rig.emulator, 'x', {});
    assert.is((await apigee.connect(target, { url: rig.emulator.url, env: { GOOGLE_APPLICATION_CREDENTIALS: path } }).observe()).length, 2);
    assert.equal(grantsOf(rig), ['refresh_token 200']);
  });
});

test('a key the endpoint does not trust (wrong signature): a clear error naming the file, no key material, no request to Apigee', async () => {
  await withRig({}, async (rig) => {
    const path = keyFile(rig.tokens.googleTokenUrl, OTHER_KEY.privateKey);
    const error = await failure(apigee.connect(realTarget(rig.emulator, 'x', { credentialsFile: path }), { url: rig.emulator.url, env: {} }).observe());
    assert.match(error.message, `target sandbox-apigee: cannot obtain a Google access token from credentialsFile of target sandbox-apigee (${path})`);
    assert.match(error.message, 'Invalid JWT Signature');
    assert.is(rig.emulator.requests.length, 0);
    assert.ok(rig.tokens.grants.length >= 1);
  });
});

test('an unreadable or malformed key file is named, its content never shown', async () => {
  await withRig({}, async (rig) => {
    const dir = tempDir('apigee-bad-key-');
    const missing = await failure(apigee.connect(realTarget(rig.emulator, 'x', { credentialsFile: join(dir, 'none.json') }), { url: rig.emulator.url, env: {} }).observe());
    assert.match(missing.message, `cannot read ${join(dir, 'none.json')} (ENOENT)`);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, `{"private_key": "-----BEGIN PRIVATE KEY-----SENTINEL-KEY-BODY`);
    const malformed = await failure(apigee.connect(realTarget(rig.emulator, 'x', { credentialsFile: broken }), { url: rig.emulator.url, env: {} }).observe());
    assert.match(malformed.message, `${broken} is not a JSON credentials file`);
    const remote = join(dir, 'remote.json');
    writeFileSync(remote, JSON.stringify({ type: 'service_account', private_key: KEY.privateKey, client_email: ACCOUNT, token_uri: 'http://tokens.example.com/token' }));
    const plain = await failure(apigee.connect(realTarget(rig.emulator, 'x', { credentialsFile: remote }), { url: rig.emulator.url, env: {} }).observe());
    assert.match(plain.message, 'token_uri must be https (plain http only to this machine)');
    assert.is(rig.tokens.grants.length, 0);
  });
});

test('no message contains key material, a client secret or a token', () => {
  assert.ok(messages.length >= 4, String(messages.length));
  assertNoSecrets(messages, [KEY.privateKey.slice(40, 80), OTHER_KEY.privateKey.slice(40, 80)]);
  for (const message of messages) assert.not.match(message, /sandbox-access-|PRIVATE KEY/);
});

test.run();
