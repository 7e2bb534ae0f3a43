/**
 * Transport security settings: TLS verification is on by default; `caFile` trusts a private CA
 * (a CA and a server certificate made by `openssl` at test time, served by the API7 emulator over
 * https); NODE_TLS_REJECT_UNAUTHORIZED=0 is refused; caFile is read bounded (no device, FIFO or
 * file over 1 MiB); plain http:// to a non-loopback host needs `insecure: true`; `timeout` is validated.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { createHttpClient } from '../../src/providers/transport/http.ts';
import { runCliInProcess } from '../helpers/cli-in-process.ts';
import { copyExampleProject, runCli } from '../helpers/project.ts';
import { hasOpenssl, makeCertificates } from './certificates.ts';
import { applyHere, ENV, planHere, SECRETS, targetYaml, writeLoadProject } from './harness.ts';

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

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

  // Verification cannot be turned off underneath: the run is refused before any request.
  const sent = emulator.requests.length;
  const unverified = await runCliInProcess(['plan'], { cwd: project.cwd, env: { ...ENV, NODE_TLS_REJECT_UNAUTHORIZED: '0' } });
  assert.is(unverified.code, 1);
  assert.not.match(unverified.stderr, STACK_FRAME);
  assert.match(unverified.stderr, 'NODE_TLS_REJECT_UNAUTHORIZED=0 is set, and apiproducts always verifies TLS certificates: target api7-prod was not contacted; unset the variable, and to trust a private CA set caFile:');
  assert.is(emulator.requests.length, sent);

  // And the transport itself sets rejectUnauthorized, so the variable in this process changes nothing.
  const before = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
  process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
  try {
    const client = createHttpClient({ baseUrl: emulator.url, headers: () => ({}), describeError: () => '', env: {} });
    const error = await client.request('GET', '/api/portals').then(() => undefined, (e: unknown) => e as Error);
    assert.match(error?.message ?? 'answered', 'is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)');
  } finally {
    if (before === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = before;
  }
});

test('NODE_TLS_REJECT_UNAUTHORIZED=0 does not stop a sandbox run: plain http on 127.0.0.1 has no certificate to check', async () => {
  const cwd = copyExampleProject();
  const result = await runCliInProcess(['plan'], { cwd, env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } });
  assert.is(result.code, 0, result.stderr);
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

  // Read once, bounded: a FIFO would block a plain read forever, an oversized file is not a CA bundle.
  execFileSync('mkfifo', [join(project.cwd, 'ca.fifo')]);
  const fifo = await validate(targetYaml({ ...base, extra: '    caFile: ca.fifo' }));
  assert.is(fifo.code, 1);
  assert.match(fifo.stdout + fifo.stderr, 'apiproducts.yaml:7:13 error [config/ca-file] targets.api7-prod.caFile: ca.fifo is a named pipe, not a regular file');
  const pem = '-----BEGIN CERTIFICATE-----\n' + 'A'.repeat(64) + '\n';
  writeFileSync(join(project.cwd, 'huge.pem'), pem.repeat(Math.ceil((1024 * 1024) / pem.length) + 1));
  assert.ok(statSync(join(project.cwd, 'huge.pem')).size > 1024 * 1024);
  const huge = await validate(targetYaml({ ...base, extra: '    caFile: huge.pem' }));
  assert.is(huge.code, 1);
  assert.match(huge.stdout + huge.stderr, 'apiproducts.yaml:7:13 error [config/ca-file] targets.api7-prod.caFile: huge.pem is larger than 1 MiB; a CA bundle is a few hundred KiB');
  const dir = await validate(targetYaml({ ...base, extra: '    caFile: products' }));
  assert.match(dir.stdout + dir.stderr, 'targets.api7-prod.caFile: products is a directory, not a regular file');

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
