/**
 * Transport security settings: TLS verification is on by default; `caFile` trusts a private CA
 * (a CA and a server certificate made by `openssl` at test time, served by the API7 emulator over
 * https); plain http:// to a non-loopback host needs `insecure: true`; `timeout` is validated.
 */
import { tempDir } from '../helpers/temp.ts';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { runCli } from '../helpers/project.ts';
import { applyHere, ENV, planHere, SECRETS, targetYaml, writeLoadProject } from './harness.ts';

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A private CA, a server certificate it signed for 127.0.0.1, and an unrelated CA: PEM files in a temp dir. */
function makeCertificates(): string {
  const dir = tempDir('apiproducts-tls-');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const ca of ['ca', 'other-ca']) {
    openssl('req', '-x509', ...ec, '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '2', '-subj', `/CN=apiproducts test ${ca}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  }
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
  return dir;
}

const tlsTest = hasOpenssl() ? test : test.skip;
let emulator: Api7Emulator | undefined;
test.after(async () => emulator?.close());

tlsTest('https with a private CA: refused without caFile (one clear line, exit 1), trusted with it, refused with another CA', async () => {
  const certs = makeCertificates();
  emulator = await startApi7Emulator({
    token: SECRETS.api7,
    state: seedApi7State(),
    tls: { key: readFileSync(join(certs, 'server.key'), 'utf8'), cert: readFileSync(join(certs, 'server.pem'), 'utf8') },
  });
  assert.match(emulator.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const project = writeLoadProject([{ name: 'api7-prod', provider: 'api7', url: emulator.url }], 2);
  const config = join(project.cwd, 'apiproducts.yaml');
  const withCa = (extra: string) => writeFileSync(config, `targets:\n${targetYaml({ name: 'api7-prod', provider: 'api7', url: emulator!.url, extra })}`);

  // Verification is on: the private CA is not trusted by default.
  const refused = await runCli(['plan'], { cwd: project.cwd, env: ENV });
  assert.is(refused.code, 1);
  assert.not.match(refused.stderr, STACK_FRAME);
  assert.match(refused.stderr, /target api7-prod: error \[observe\/failed\] GET \/api\/portals: the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); for a private CA set caFile: on the target in apiproducts\.yaml/);
  assert.is(emulator.requests.length, 0, 'nothing was sent before the certificate was checked');

  writeFileSync(join(project.cwd, 'private-ca.pem'), readFileSync(join(certs, 'ca.pem')));
  withCa('    caFile: private-ca.pem');
  const trusted = await applyHere(project.cwd);
  assert.is(trusted.code, 0, trusted.stderr);
  assert.equal(trusted.report!.results.map((r) => r.outcome), ['applied', 'applied']);
  assert.equal((await planHere(project.cwd)).plan!.changes, []);

  writeFileSync(join(project.cwd, 'other-ca.pem'), readFileSync(join(certs, 'other-ca.pem')));
  withCa('    caFile: other-ca.pem');
  const other = await planHere(project.cwd);
  assert.is(other.code, 1);
  assert.match(other.stderr, 'is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)');
});

test('caFile and timeout are checked offline with their position; http:// to a remote host needs insecure: true', async () => {
  const project = writeLoadProject([{ name: 'api7-prod', provider: 'api7', url: 'https://api7.internal.example:7443' }], 1);
  const config = join(project.cwd, 'apiproducts.yaml');
  const validate = async (target: string) => {
    writeFileSync(config, `targets:\n${target}`);
    return runCli(['validate'], { cwd: project.cwd, env: ENV });
  };
  const base = { name: 'api7-prod', provider: 'api7' as const, url: 'https://api7.internal.example:7443' };

  const missing = await validate(targetYaml({ ...base, extra: '    caFile: certs/nowhere.pem' }));
  assert.is(missing.code, 1);
  assert.match(missing.stdout + missing.stderr, /apiproducts\.yaml:7:13 error \[config\/ca-file\] targets\.api7-prod\.caFile: cannot read certs\/nowhere\.pem \(ENOENT\)/);

  writeFileSync(join(project.cwd, 'not-a-cert.pem'), 'hello\n');
  const notPem = await validate(targetYaml({ ...base, extra: '    caFile: not-a-cert.pem' }));
  assert.match(notPem.stdout + notPem.stderr, /error \[config\/ca-file\] targets\.api7-prod\.caFile: not-a-cert\.pem holds no PEM certificate/);

  const tooLong = await validate(targetYaml({ ...base, timeout: '20m' }));
  assert.match(tooLong.stdout + tooLong.stderr, /apiproducts\.yaml:7:14 error \[config\/timeout\] targets\.api7-prod\.timeout must be between 100ms and 10m, got "20m"/);
  const badTimeout = await validate(targetYaml({ ...base, timeout: 'soon' }));
  assert.is(badTimeout.code, 1);
  assert.match(badTimeout.stdout + badTimeout.stderr, /apiproducts\.yaml:7:14 error/);
  const fine = await validate(targetYaml({ ...base, timeout: '1500ms' }));
  assert.is(fine.code, 0, fine.stdout + fine.stderr);
  assert.not.match(fine.stdout + fine.stderr, 'unknown-setting');

  const plainHttp = { ...base, url: 'http://api7.internal.example:9180' };
  const refused = await validate(targetYaml(plainHttp));
  assert.is(refused.code, 1);
  assert.match(refused.stdout + refused.stderr, 'error [config/insecure-url] targets.api7-prod.url uses plain http:// to a host that is not loopback');
  const allowed = await validate(targetYaml({ ...plainHttp, extra: '    insecure: true' }));
  assert.is(allowed.code, 0, allowed.stdout + allowed.stderr);
});

test.run();
