/** Which combinations of Apigee credential settings validate accepts (src/providers/apigee/credentials/validate.ts). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TargetConfig } from '../../src/model/target.ts';
import { apigee } from '../../src/providers/apigee/index.ts';
import { apigeeTarget } from './apigee-fixtures.ts';

function target(flavour: 'edge' | 'x', settings: Record<string, unknown>, sandbox = false): TargetConfig {
  const base = apigeeTarget(flavour, settings);
  return { ...base, sandbox, url: sandbox ? undefined : 'https://api.enterprise.apigee.com', settings: { ...base.settings, sandbox } };
}
const rules = (t: TargetConfig): string[] => apigee.validateTarget(t).map((d) => `${d.severity} ${d.rule}`);

test('x: Application Default Credentials (nothing set), a key file, or a static token; never two', () => {
  assert.equal(rules(target('x', {})), []);
  assert.equal(rules(target('x', { credentialsFile: 'keys/sa.json' })), []);
  assert.equal(rules(target('x', { tokenEnv: 'APIGEE_TOKEN' })), []);
  assert.equal(rules(target('x', { tokenEnv: 'APIGEE_TOKEN', credentialsFile: 'sa.json' })), ['error apigee/credentials']);
  for (const edgeOnly of [{ auth: 'oauth' }, { tokenUrl: 'https://login.apigee.com/oauth/token' }, { mfaTokenEnv: 'M' }, { refreshTokenEnv: 'R' }, { passcodeEnv: 'P' }]) {
    assert.equal(rules(target('x', edgeOnly)), ['error apigee/credentials'], JSON.stringify(edgeOnly));
  }
  assert.equal(rules(target('x', { privateCloud: true }, true)), ['error apigee/private-cloud']);
});

test('edge: oauth needs a password (or a refresh token), saml a passcode and its zone\'s tokenUrl', () => {
  assert.equal(rules(target('edge', { auth: 'oauth', usernameEnv: 'U', passwordEnv: 'P' })), []);
  assert.equal(rules(target('edge', { auth: 'oauth', usernameEnv: 'U', passwordEnv: 'P', mfaTokenEnv: 'M' })), []);
  assert.equal(rules(target('edge', { auth: 'oauth', refreshTokenEnv: 'R' })), []);
  assert.equal(rules(target('edge', { auth: 'oauth', usernameEnv: 'U' })), ['error apigee/credentials']);
  assert.equal(rules(target('edge', { auth: 'saml', passcodeEnv: 'P', tokenUrl: 'https://acme.login.apigee.com/oauth/token' })), []);
  assert.equal(rules(target('edge', { auth: 'saml', passcodeEnv: 'P' })), ['error apigee/credentials']);
  assert.equal(rules(target('edge', { auth: 'saml', tokenUrl: 'https://acme.login.apigee.com/oauth/token' })), ['error apigee/credentials']);
  assert.equal(rules(target('edge', { auth: 'basic', usernameEnv: 'U', passwordEnv: 'P' })), []);
  assert.equal(rules(target('edge', { auth: 'oauth', tokenEnv: 'T' })), ['error apigee/credentials']);
  assert.equal(rules(target('edge', { auth: 'password' })), ['error apigee/auth']);
  assert.equal(rules(target('edge', { usernameEnv: 'U', passwordEnv: 'P', mfaTokenEnv: 'M' })), ['error apigee/credentials']);
  assert.equal(rules(target('edge', { credentialsFile: 'sa.json', tokenEnv: 'T' })), ['error apigee/credentials']);
});

test('edge: tokenUrl is an https URL, plain http only to loopback or with insecure: true (Private Cloud SSO)', () => {
  const sso = { auth: 'oauth', usernameEnv: 'U', passwordEnv: 'P', tokenUrl: 'http://sso.internal:9099/oauth/token' };
  assert.equal(rules(target('edge', sso)), ['error apigee/token-url']);
  assert.equal(rules({ ...target('edge', sso), insecure: true }), []);
  assert.equal(rules(target('edge', { ...sso, tokenUrl: 'http://127.0.0.1:9099/oauth/token' })), []);
  assert.equal(rules(target('edge', { ...sso, tokenUrl: 'login.apigee.com' })), ['error apigee/token-url']);
});

test('a pasted secret in any *Env setting is refused without being echoed', () => {
  for (const setting of ['passcodeEnv', 'mfaTokenEnv', 'refreshTokenEnv']) {
    const diagnostics = apigee.validateTarget(target('edge', { auth: 'oauth', usernameEnv: 'U', passwordEnv: 'P', [setting]: 'SENTINEL-pasted secret' }));
    assert.ok(diagnostics.some((d) => d.rule === 'apigee/credential-env'), setting);
    assert.not.match(JSON.stringify(diagnostics), 'SENTINEL');
  }
});

test('privateCloud is a sandbox setting of Edge targets; on a real target it warns', () => {
  assert.equal(rules(target('edge', { privateCloud: true }, true)), []);
  assert.equal(rules(target('edge', { privateCloud: true, tokenEnv: 'T' })), ['warning apigee/private-cloud']);
});

test.run();
