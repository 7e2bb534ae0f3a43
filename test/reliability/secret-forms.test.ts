/**
 * Every form of every credential (issue 16): credentials with special characters and a trailing
 * newline (`$(cat token)`) are sent trimmed; servers that echo them raw, trimmed, URL-encoded,
 * JSON-escaped, HTML-escaped, base64 and base64url (`user:password`, the token) and by their first characters, in error
 * bodies and inside live product fields, never get any of those forms into stdout, stderr, a plan
 * file or an imported file. Import refuses a product that carries one, naming the product and field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { startApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState } from '../../src/sandbox/apigee/state.ts';
import { runCliInProcess } from '../helpers/cli-in-process.ts';
import { answerWith, startHostileServer } from '../helpers/hostile-server.ts';
import { API7_PORTAL, closeAll, ORG, writeLoadProject, type TargetSpec } from './harness.ts';

const TOKEN = 'tok/en+"quote\\back=7f3a9c1e';
const USER = 'deploy-user-2c4e';
const PASSWORD = 'p@ss/w"rd+9c1e77ab';
const ENV = { API7_TOKEN: `${TOKEN}\n`, APIGEE_USER: `${USER}\n`, APIGEE_PASSWORD: ` ${PASSWORD}\n` };

/** Every form a server may echo, by name: what no output may contain. */
function formsOf(secret: string): Record<string, string> {
  return {
    raw: secret,
    'URL-encoded': encodeURIComponent(secret),
    'JSON-escaped': JSON.stringify(secret).slice(1, -1),
    base64: Buffer.from(secret).toString('base64'),
    base64url: Buffer.from(secret).toString('base64url'),
    'HTML-escaped': secret.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;'),
    'first 10 characters': secret.slice(0, 10),
  };
}
const NEEDLES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(formsOf(TOKEN)).map(([form, text]) => [`token ${form}`, text])),
  ...Object.fromEntries(Object.entries(formsOf(PASSWORD)).map(([form, text]) => [`password ${form}`, text])),
  'Basic user:password': Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
  'user:password': `${USER}:${PASSWORD}`,
  'user name': USER,
};
/** Every form of the credentials one target's server has seen, in one string, as it would echo them in a message or a field. */
const API7_ECHO = Object.entries(NEEDLES).filter(([form]) => form.startsWith('token')).map(([, text]) => text).join(' | ');
const APIGEE_ECHO = Object.entries(NEEDLES).filter(([form]) => !form.startsWith('token')).map(([, text]) => text).join(' | ');

const running: { close(): Promise<void> }[] = [];
test.after(() => closeAll(running));

function leaks(what: string, text: string): string[] {
  return Object.entries(NEEDLES).filter(([, needle]) => text.includes(needle)).map(([form]) => `${what}: ${form}`);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** An API7 and an Apigee Edge (Basic) emulator that accept the trimmed credentials only. */
async function emulators() {
  const api7 = await startApi7Emulator({ token: TOKEN, state: seedApi7State() });
  const apigee = await startApigeeEmulator({ flavour: 'edge', org: ORG, credentials: { username: USER, password: PASSWORD }, state: seedApigeeState(ORG) });
  running.push(api7, apigee);
  return { api7, apigee };
}

function targets(api7: string, apigee: string): TargetSpec[] {
  return [
    { name: 'api7-prod', provider: 'api7', url: api7 },
    { name: 'apigee-basic', provider: 'apigee', flavour: 'edge', basic: true, url: apigee },
  ];
}

test('credentials are sent trimmed; echoed in live product fields, no form reaches any output, and import refuses the product', async () => {
  const { api7, apigee } = await emulators();
  const api7Product = api7.state.products[API7_PORTAL]![0]!;
  api7Product.desc = `key: ${API7_ECHO}`;
  const apigeeProduct = Object.values(apigee.state.products)[0]!;
  apigeeProduct.description = `user: ${APIGEE_ECHO}`;
  const project = writeLoadProject(targets(api7.url, apigee.url), 2);
  const found: string[] = [];
  const runs = [
    ['plan'],
    ['plan', '--format', 'json', '--out', 'plan.json'],
    ['plan', '--format', 'markdown'],
    ['drift', '--format', 'markdown'],
    ['import', '--target', 'api7-prod', '--out', 'imported-api7'],
    ['import', '--target', 'apigee-basic', '--out', 'imported-apigee'],
  ];
  const stderr: string[] = [];
  for (const args of runs) {
    const result = await runCliInProcess(args, { cwd: project.cwd, env: ENV });
    found.push(...leaks(`${args.join(' ')} stdout`, result.stdout), ...leaks(`${args.join(' ')} stderr`, result.stderr));
    if (args[0] !== 'import') assert.ok([0, 2].includes(result.code), `${args.join(' ')}: exit ${result.code}\n${result.stderr}`);
    stderr.push(result.stderr);
  }
  for (const file of filesUnder(project.cwd)) found.push(...leaks(file.slice(project.cwd.length + 1), readFileSync(file, 'utf8')));
  assert.equal(found, []);
  const importErrors = stderr.join('');
  assert.match(importErrors, /failed {2}\S+: field description holds a credential this run sent to api7-prod/);
  assert.match(importErrors, /failed {2}\S+: field description holds a credential this run sent to apigee-basic/);
});

test('servers echoing every form of the credentials in their errors: none reaches stdout, stderr or a file', async () => {
  const { api7, apigee } = await emulators();
  const echo = async (upstream: string, echoed: string) => {
    const server = await startHostileServer(upstream, (request, response) => {
      if (!request.path.includes('products')) return false;
      const message = `refused ${String(request.headers['x-api-key'] ?? request.headers.authorization)}: ${echoed}`;
      return answerWith(response, 401, JSON.stringify({ error_msg: message, message, error: { message } }));
    });
    running.push(server);
    return server.url;
  };
  const project = writeLoadProject(targets(await echo(api7.url, API7_ECHO), await echo(apigee.url, APIGEE_ECHO)), 2);
  const found: string[] = [];
  for (const args of [['plan', '--format', 'json', '--out', 'plan.json'], ['plan'], ['drift'], ['apply', '--auto-approve', '--format', 'json'], ['import', '--target', 'api7-prod']]) {
    const result = await runCliInProcess(args, { cwd: project.cwd, env: ENV });
    assert.equal(result.code, 1, `${args.join(' ')} fails on the 401\n${result.stderr}`);
    assert.match(result.stderr, /HTTP 401/);
    found.push(...leaks(`${args.join(' ')} stdout`, result.stdout), ...leaks(`${args.join(' ')} stderr`, result.stderr));
  }
  for (const file of filesUnder(project.cwd)) found.push(...leaks(file.slice(project.cwd.length + 1), readFileSync(file, 'utf8')));
  assert.equal(found, []);
});

test.run();
