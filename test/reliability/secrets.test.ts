/**
 * Secrets under faults: every command runs through the built CLI with sentinel credentials (an API7
 * token, an Apigee Bearer token, an Apigee Edge Basic user and password) against emulators in every
 * fault mode, a server that refuses them, and a server that echoes them back in its errors. No
 * sentinel, whole or as the Basic header's base64, shows in any stdout, stderr, plan file,
 * Markdown (PR comment) body, apply report, imported file or error message.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FaultOptions } from '../../src/sandbox/fault-options.ts';
import { answerWith, startHostileServer, type HostileServer } from '../helpers/hostile-server.ts';
import { runCli, type CliResult } from '../helpers/project.ts';
import { BASIC, closeAll, ENV, SECRETS, startApi7, startApigee, writeLoadProject, type Emulator, type TargetSpec } from './harness.ts';

const running: { close(): Promise<void> }[] = [];
test.after(() => closeAll(running));

const NEEDLES = [...Object.values(SECRETS), BASIC, 'SENTINEL'];

function leaks(text: string): string[] {
  return NEEDLES.filter((needle) => text.includes(needle));
}

/** Every file under `dir` (plan files, imported products), for grepping. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

interface Mode {
  faults?: FaultOptions;
  timeout?: string;
  /** Credentials the servers expect instead of the sentinels (the sentinels are refused). */
  refuse?: boolean;
  /** A proxy echoing the request's credentials in its error bodies. */
  echo?: boolean;
  commands: string[][];
}

const EVERY_COMMAND = [
  ['validate'],
  ['plan'],
  ['plan', '--format', 'json', '--out', 'plan.json'],
  ['plan', '--format', 'markdown'],
  ['drift'],
  ['drift', '--format', 'json'],
  ['drift', '--format', 'markdown'],
  ['apply', '--dry-run', '--format', 'json'],
  ['apply', 'plan.json', '--auto-approve', '--format', 'json'],
  ['apply', '--auto-approve', '--allow-destructive', '--format', 'json'],
  ['import', '--target', 'api7-prod', '--out', 'imported-api7'],
  ['import', '--target', 'apigee-basic', '--out', 'imported-apigee'],
  ['plan', '--detailed-exitcode'],
];
const UNDER_FAULTS = [
  ['plan', '--format', 'markdown', '--out', 'plan.json'],
  ['apply', '--auto-approve', '--format', 'json'],
  ['drift', '--format', 'json'],
];

const MODES: Record<string, Mode> = {
  'no faults': { commands: EVERY_COMMAND },
  'latency and a rate limit': { faults: { latencyMs: { min: 1, max: 20 }, rateLimit: { perSecond: 30, burst: 3, retryAfter: 'http-date' } }, commands: UNDER_FAULTS },
  '5xx and dropped connections': { faults: { failRate: 0.2, failPhase: 'random', dropRate: 0.15, seed: 21 }, commands: UNDER_FAULTS },
  'answers slower than the timeout': { faults: { slowRate: 0.15, slowMs: 1500, seed: 22 }, timeout: '300ms', commands: UNDER_FAULTS },
  'credentials refused (401)': { refuse: true, commands: [['plan'], ['apply', '--auto-approve'], ['drift', '--format', 'markdown']] },
  'a server that echoes the credentials in its errors': { echo: true, commands: [['plan', '--format', 'json'], ['apply', '--auto-approve', '--format', 'json'], ['drift']] },
};

/** Echoes every credential header back, as a raw header and decoded, in a 401 error body and an HTML page. */
function echoing(upstream: string): Promise<HostileServer> {
  return startHostileServer(upstream, (request, response) => {
    const key = String(request.headers['x-api-key'] ?? '');
    const authorization = String(request.headers.authorization ?? '');
    const decoded = authorization.startsWith('Basic ') ? Buffer.from(authorization.slice(6), 'base64').toString('utf8') : '';
    if (request.path.endsWith('/apis')) return answerWith(response, 502, `<html><title>Bad Gateway for ${authorization}</title><body>${decoded}</body></html>`, 'text/html');
    if (!request.path.includes('products')) return false;
    const message = `credentials ${key}${authorization} (${decoded}) are not allowed; user ${decoded.split(':')[0]}`;
    return answerWith(response, 401, JSON.stringify({ error_msg: message, message, code: 'security.unauthorized', error: { message } }));
  });
}

async function runMode(name: string, mode: Mode): Promise<string[]> {
  const api7 = await startApi7(mode.faults);
  const edgeBearer = await startApigee('edge', mode.faults);
  const edgeBasic = await startApigee('edge', mode.faults, true);
  const x = await startApigee('x', mode.faults);
  const emulators: Emulator[] = [api7, edgeBearer, edgeBasic, x];
  running.push(...emulators);
  const urls = await Promise.all(
    emulators.map(async (emulator) => {
      if (!mode.echo) return emulator.url;
      const proxy = await echoing(emulator.url);
      running.push(proxy);
      return proxy.url;
    }),
  );
  const timeout = mode.timeout ? { timeout: mode.timeout } : {};
  const targets: TargetSpec[] = [
    { name: 'api7-prod', provider: 'api7', url: urls[0]!, ...timeout },
    { name: 'apigee-bearer', provider: 'apigee', flavour: 'edge', url: urls[1]!, ...timeout },
    { name: 'apigee-basic', provider: 'apigee', flavour: 'edge', basic: true, url: urls[2]!, ...timeout },
    { name: 'apigee-x', provider: 'apigee', flavour: 'x', url: urls[3]!, ...timeout },
  ];
  const project = writeLoadProject(targets, 3);
  const env = mode.refuse
    ? Object.fromEntries(Object.entries(ENV).map(([variable, value]) => [variable, `${value}-wrong`]))
    : ENV;
  const found: string[] = [];
  const check = (what: string, text: string): void => {
    for (const needle of leaks(text)) found.push(`${name} / ${what}: contains ${needle}`);
  };
  for (const args of mode.commands) {
    const result: CliResult = await runCli(args, { cwd: project.cwd, env });
    const what = args.join(' ');
    check(`${what} stdout`, result.stdout);
    check(`${what} stderr`, result.stderr);
    if (/Internal error/.test(result.stderr)) found.push(`${name} / ${what}: internal error\n${result.stderr}`);
    if (mode.refuse || mode.echo) {
      if (result.code !== 1 && !(args[0] === 'apply' && result.code === 4)) found.push(`${name} / ${what}: exit ${result.code}, expected a failure\n${result.stderr}`);
    } else if (![0, 2].includes(result.code)) {
      found.push(`${name} / ${what}: exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
  }
  for (const file of [...filesUnder(project.cwd)].filter((f) => !f.includes(`${join('products', 'specs')}`) || f.includes('imported'))) {
    check(file.slice(project.cwd.length + 1), readFileSync(file, 'utf8'));
  }
  if (mode.echo || mode.refuse) {
    // The refusals did reach the servers with the real headers; they only never came back out.
    assert.ok(emulators.some((e) => e.requests.length > 0) || mode.echo, `${name}: nothing was sent`);
  }
  return found;
}

test('sentinel credentials appear in no output, file or error, in every fault mode, for every credential kind', async () => {
  const found = (await Promise.all(Object.entries(MODES).map(([name, mode]) => runMode(name, mode)))).flat();
  assert.equal(found, []);
});

test.run();
