import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { apigee } from '../../src/providers/apigee/index.ts';
import { FLAVOURS, TOKEN } from './apigee-fixtures.ts';
import { assertNoSecrets, connect, createFailureLog, PRODUCTS_PATH, realTarget, withEmulator } from './apigee-harness.ts';

const { messages, failure } = createFailureLog();
const USER = 'ci@example.com';
const PASSWORD = 'apigee-SENTINEL-password-77';
const USER_VAR = 'APIPRODUCTS_TEST_APIGEE_USER';
const PASSWORD_VAR = 'APIPRODUCTS_TEST_APIGEE_PASSWORD';
const TOKEN_VAR = 'APIPRODUCTS_TEST_APIGEE_TOKEN';

function clearVariables(): void {
  for (const variable of [USER_VAR, PASSWORD_VAR, TOKEN_VAR]) delete process.env[variable];
}

// The emulators accept only the scheme configured for them, so a success proves the header sent.
for (const flavour of FLAVOURS) {
  test(`${flavour}: a sandbox sends its secret as Bearer; a wrong one is a one-line 401 without it`, async () => {
    await withEmulator(flavour, async (emulator) => {
      assert.is((await connect(emulator, flavour).observe()).length, 2);
      const wrong = 'apigee-SENTINEL-wrong-token-1234';
      const error = await failure(connect(emulator, flavour, wrong).observe());
      assert.is(error.status, 401);
      assert.not.ok(error.retryable);
      assert.match(error.message, `HTTP 401 from GET ${PRODUCTS_PATH}: `);
      assert.not.match(error.message, wrong);
    });
  });

  test(`${flavour}: a real target sends Bearer from tokenEnv, and names the variable when it is missing`, async () => {
    await withEmulator(flavour, async (emulator) => {
      const target = realTarget(emulator, flavour, { tokenEnv: TOKEN_VAR });
      clearVariables();
      const missing = await failure(apigee.connect(target, { url: emulator.url }).observe());
      const holds = flavour === 'x' ? 'Apigee X (Google Cloud) OAuth access token' : 'Apigee Edge OAuth access token';
      assert.is(missing.message, `environment variable ${TOKEN_VAR} is not set (it must hold the ${holds})`);
      assert.is(emulator.requests.length, 0, 'nothing is sent without credentials');
      process.env[TOKEN_VAR] = TOKEN;
      try {
        assert.is((await apigee.connect(target, { url: emulator.url }).observe()).length, 2);
      } finally {
        clearVariables();
      }
    });
  });
}

test('edge: Basic auth from usernameEnv + passwordEnv; a missing or wrong password is named, never shown', async () => {
  await withEmulator('edge', async (emulator) => {
    const target = realTarget(emulator, 'edge', { usernameEnv: USER_VAR, passwordEnv: PASSWORD_VAR });
    clearVariables();
    process.env[USER_VAR] = USER;
    try {
      const missing = await failure(apigee.connect(target, { url: emulator.url }).observe());
      assert.is(missing.message, `environment variable ${PASSWORD_VAR} is not set (it must hold the Apigee Edge password)`);
      process.env[PASSWORD_VAR] = PASSWORD;
      assert.is((await apigee.connect(target, { url: emulator.url }).observe()).length, 2);
      process.env[PASSWORD_VAR] = 'apigee-SENTINEL-bad-password';
      const refused = await failure(apigee.connect(target, { url: emulator.url }).observe());
      assert.is(refused.status, 401);
    } finally {
      clearVariables();
    }
  }, { credentials: { username: USER, password: PASSWORD } });
});

test('x: Google tokens only; usernameEnv and passwordEnv are refused, never sent', async () => {
  await withEmulator('x', async (emulator) => {
    const target = realTarget(emulator, 'x', { usernameEnv: USER_VAR, passwordEnv: PASSWORD_VAR });
    clearVariables();
    process.env[USER_VAR] = USER;
    process.env[PASSWORD_VAR] = PASSWORD;
    try {
      const error = await failure(apigee.connect(target, { url: emulator.url }).observe());
      assert.is(error.message, 'target sandbox-apigee: Apigee X takes Google OAuth tokens, not usernameEnv/passwordEnv; set credentialsFile: or tokenEnv:, or use Application Default Credentials');
      assert.is(emulator.requests.length, 0);
    } finally {
      clearVariables();
    }
  });
});

test('no error message ever contains a credential', () => {
  assert.ok(messages.length >= 7, String(messages.length));
  assertNoSecrets(messages, [TOKEN, PASSWORD]);
});

test.run();
