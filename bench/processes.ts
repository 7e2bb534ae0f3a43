/**
 * What users run, timed as they run it: the built CLI (`node dist/src/cli.js`) as a whole process
 * against the bench's emulators in this process, each figure the median (with min and max) of
 * several runs. Every build given (this one, and `--compare DIR` builds such as a checkout of
 * main) runs in the same run, alternately, so that the machine's load falls on all alike.
 *
 * - start: `--version` and `--help`, the floor of every command;
 * - plan: a no-change plan of N products; its network floor is process start plus the plan's
 *   critical path, the round trips that had to follow one another (counted from the emulator's
 *   answer times: a new round trip starts when an answer comes half a latency after the last
 *   one's first), times the latency; measured ÷ floor is shown;
 * - apply: `apply --auto-approve` of `creates` products onto an empty portal under a token bucket,
 *   the very code path of `apply` (plan, then apply, one process): the writes' rate against the
 *   bucket's, 429s and failures.
 * CPU time and peak RSS come from /usr/bin/time when it is there.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { desiredOf, layout, loadProject, writeConfig, writeProject } from './generate.ts';
import { countRequests, startPortal } from './portal.ts';
import { BENCH_PROFILES, benchProfile } from './vendors/index.ts';

export interface ProcessBenchOptions {
  /** Directories holding a built apiproducts (`dist/src/cli.js`); the first is the one measured, the rest its baselines. */
  builds: string[];
  providers: string[];
  n: number;
  runs: number;
  latencyMs: number;
  creates: number;
  ratePerSecond: number;
  burst: number;
  log: (line: string) => void;
}

/** Median, min and max of a figure over the runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface ProcessRun {
  wallMs: number;
  /** user + sys, ms; undefined without /usr/bin/time. */
  cpuMs?: number;
  maxRssMb?: number;
  code: number;
}

export interface BuildFigures {
  build: string;
  version: Spread;
  help: Spread;
  plan: { wall: Spread; cpu?: Spread; rssMb?: Spread; requests: number; roundTrips: number; floorMs: number; ratio: number };
  /** perSecond: the median run's writes per second, first to last write; rateLimited: the most 429s of a run; failed: any run. */
  apply: { wall: Spread; perSecond: number; shareOfLimit: number; rateLimited: number; failed: boolean; creates: number };
}

export interface ProcessBenchResult {
  provider: string;
  n: number;
  runs: number;
  latencyMs: number;
  builds: BuildFigures[];
}

const TIME = '/usr/bin/time';

/** One process of `build`'s CLI: wall time from spawn to exit, and CPU and peak RSS when /usr/bin/time is there. */
export function runCli(build: string, args: string[], env: Record<string, string>): Promise<ProcessRun> {
  const cli = join(build, 'dist', 'src', 'cli.js');
  const timed = existsSync(TIME);
  const scratch = mkdtempSync(join(tmpdir(), 'apiproducts-bench-time-'));
  const timeFile = join(scratch, 'time');
  const command = timed ? [TIME, '-f', '%U %S %M', '-o', timeFile, process.execPath, cli, ...args] : [process.execPath, cli, ...args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Asynchronously: the emulators answering this process run in this one.
    {
      const child = spawn(command[0]!, command.slice(1), { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('exit', (code) => {
        const wallMs = performance.now() - started;
        const run: ProcessRun = { wallMs, code: code ?? -1 };
        if (timed && existsSync(timeFile)) {
          const [user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
          run.cpuMs = ((user ?? 0) + (sys ?? 0)) * 1000;
          run.maxRssMb = (rssKb ?? 0) / 1024;
        }
        rmSync(scratch, { recursive: true, force: true });
        if (run.code > 2) reject(new Error(`apiproducts ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
        else resolve(run);
      });
    }
  });
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? 0, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
}

/**
 * Round trips that had to follow one another: answers grouped into waves, a new wave when an
 * answer comes at least half a latency after the current wave's first. Requests in flight
 * together answer within a few ms of each other; a page that needed the previous one comes a
 * latency later.
 */
export function roundTrips(answeredAt: readonly number[], latencyMs: number): number {
  const sorted = [...answeredAt].sort((a, b) => a - b);
  let waves = 0;
  let waveStart = -Infinity;
  for (const at of sorted) {
    if (at - waveStart >= latencyMs / 2) {
      waves++;
      waveStart = at;
    }
  }
  return waves;
}

/** The whole-process figures of one vendor, every build side by side. */
export async function runProcessBench(provider: string, options: ProcessBenchOptions): Promise<ProcessBenchResult> {
  const profile = benchProfile(provider);
  const env = Object.fromEntries(BENCH_PROFILES.map((p) => [p.tokenEnv, p.token]));
  const builds: BuildFigures[] = options.builds.map((build) => ({ build }) as BuildFigures);
  const runs = (count: number) => Array.from({ length: count }, (_, i) => i);

  options.log(`processes: ${profile.displayName}: start`);
  const starts = builds.map(() => ({ version: [] as number[], help: [] as number[] }));
  for (const _ of runs(options.runs)) {
    for (const [i, build] of options.builds.entries()) {
      starts[i]!.version.push((await runCli(build, ['--version'], env)).wallMs);
      starts[i]!.help.push((await runCli(build, ['--help'], env)).wallMs);
    }
  }
  builds.forEach((figures, i) => Object.assign(figures, { version: spread(starts[i]!.version), help: spread(starts[i]!.help) }));

  options.log(`processes: ${profile.displayName}: no-change plan of ${options.n} products, ${options.latencyMs} ms latency`);
  const planLayout = layout(provider, options.n, 0);
  const planProject = writeProject(planLayout, { flavour: 'x', changes: false });
  const planPortal = await startPortal(provider, planLayout, { flavour: 'x' });
  try {
    writeConfig(planProject.cwd, provider, planPortal.emulator.url, { flavour: 'x' });
    planPortal.plant(desiredOf(loadProject(planProject.cwd, planProject.productsDir), provider));
    const answered = answerTimes(planPortal.emulator.requests);
    const samples = builds.map(() => ({ runs: [] as ProcessRun[], trips: [] as number[], requests: 0 }));
    for (const _ of runs(options.runs)) {
      for (const [i, build] of options.builds.entries()) {
        planPortal.reset(options.latencyMs > 0 ? { latencyMs: options.latencyMs } : {});
        answered.length = 0;
        const run = await runCli(build, ['plan', '--chdir', planProject.cwd], env);
        if (run.code !== 0) throw new Error(`plan by ${build} exited ${run.code}: the portal is not what the products say`);
        const counts = countRequests(planPortal.emulator.requests);
        if (counts.writes > 0) throw new Error(`plan by ${build} wrote to the portal`);
        samples[i]!.runs.push(run);
        samples[i]!.trips.push(roundTrips(answered, options.latencyMs));
        samples[i]!.requests = counts.total;
      }
    }
    builds.forEach((figures, i) => {
      const sample = samples[i]!;
      const trips = spread(sample.trips).median;
      const floorMs = figures.version.median + trips * options.latencyMs;
      const wall = spread(sample.runs.map((r) => r.wallMs));
      figures.plan = {
        wall,
        ...optionalSpread('cpu', sample.runs.map((r) => r.cpuMs)),
        ...optionalSpread('rssMb', sample.runs.map((r) => r.maxRssMb)),
        requests: sample.requests,
        roundTrips: trips,
        floorMs,
        ratio: wall.median / floorMs,
      };
    });
  } finally {
    await planPortal.close();
    planProject.remove();
  }

  options.log(`processes: ${profile.displayName}: apply of ${options.creates} creates, ${options.ratePerSecond} req/s bucket`);
  const applyLayout = layout(provider, options.creates, 0, false);
  const applyProject = writeProject(applyLayout, { flavour: 'x', changes: false });
  const applyPortal = await startPortal(provider, applyLayout, { flavour: 'x' });
  try {
    writeConfig(applyProject.cwd, provider, applyPortal.emulator.url, { flavour: 'x' });
    const answered = answerTimes(applyPortal.emulator.requests);
    for (const [i, build] of options.builds.entries()) {
      const walls: number[] = [];
      const rates: number[] = [];
      let rateLimited = 0;
      let failed = false;
      // Fewer runs: each is creates ÷ rate seconds long.
      for (const _ of runs(Math.max(1, Math.min(options.runs, 3)))) {
        applyPortal.clearProducts();
        applyPortal.reset({ ...(options.latencyMs > 0 ? { latencyMs: options.latencyMs } : {}), rateLimit: { perSecond: options.ratePerSecond, burst: options.burst } });
        answered.length = 0;
        const run = await runCli(build, ['apply', '--auto-approve', '--chdir', applyProject.cwd], env);
        walls.push(run.wallMs);
        const requests = applyPortal.emulator.requests;
        const writeTimes = requests.flatMap((request, k) => (request.method !== 'GET' && request.status < 300 ? [answered[k]!] : []));
        const seconds = writeTimes.length > 1 ? (Math.max(...writeTimes) - Math.min(...writeTimes)) / 1000 : 0;
        const perSecond = seconds > 0 ? (writeTimes.length - 1) / seconds : 0;
        rates.push(perSecond);
        rateLimited = Math.max(rateLimited, countRequests(requests).rateLimited);
        failed ||= run.code !== 0 || applyPortal.ownedProducts() !== applyLayout.managedObjects;
      }
      const perSecond = spread(rates).median;
      builds[i]!.apply = { wall: spread(walls), perSecond, shareOfLimit: perSecond / options.ratePerSecond, rateLimited, failed, creates: applyLayout.managedObjects };
    }
  } finally {
    await applyPortal.close();
    applyProject.remove();
  }
  return { provider, n: options.n, runs: options.runs, latencyMs: options.latencyMs, builds };
}

function optionalSpread<K extends string>(key: K, values: (number | undefined)[]): Partial<Record<K, Spread>> {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === values.length && known.length > 0 ? ({ [key]: spread(known) } as Record<K, Spread>) : {};
}

/** When each logged request was answered (the log is appended as answers go out), index for index. */
function answerTimes(log: { push: (...items: never[]) => number }): number[] {
  const times: number[] = [];
  const push = log.push.bind(log);
  log.push = (...items: never[]) => {
    for (const _ of items) times.push(performance.now());
    return push(...items);
  };
  return times;
}
