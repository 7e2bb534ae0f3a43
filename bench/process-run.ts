/**
 * One whole process, timed as a user's shell would time it: `node SCRIPT ARGS` from spawn to exit,
 * with CPU time (user + sys) and peak RSS from /usr/bin/time when it is there; and the figures the
 * report makes of several runs (median, min, max) and of an emulator's answer times (round trips).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface ProcessRun {
  wallMs: number;
  /** user + sys, ms; undefined without /usr/bin/time. */
  cpuMs?: number;
  maxRssMb?: number;
  code: number;
  stdout: string;
}

/** Median, min and max of a figure over the runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

const TIME = '/usr/bin/time';
export const timed = existsSync(TIME);

/** The built CLI of a checkout: what `apiproducts` runs once installed. */
export const cliOf = (build: string): string => join(build, 'dist', 'src', 'cli.js');

/**
 * Runs `node script ...args` with only PATH, NO_COLOR and `env` in its environment (the bench's
 * credentials), asynchronously: the emulators answering it run in this process. Exit codes above
 * 2 (errors other than "changes pending") reject with the start of its stderr. `nodeFlags` go to
 * node itself (`--cpu-prof`, which NODE_OPTIONS does not allow; heap flags).
 */
/** `--node-flags` as typed (`'--trace-gc --max-old-space-size=2048'`): the flags one by one. */
export function nodeFlagsOf(text: string): string[] {
  return text.split(' ').filter(Boolean);
}

export function runNode(script: string, args: readonly string[], env: Record<string, string>, nodeFlags: readonly string[] = []): Promise<ProcessRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'apiproducts-bench-time-'));
  const timeFile = join(scratch, 'time');
  const node = [process.execPath, ...nodeFlags, script, ...args];
  const command = timed ? [TIME, '-f', '%U %S %M', '-o', timeFile, ...node] : node;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command[0]!, command.slice(1), { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const run: ProcessRun = { wallMs: performance.now() - started, code: code ?? -1, stdout };
      if (timed && existsSync(timeFile)) {
        // GNU time's %M is the peak resident set size in KiB.
        const [user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
        run.cpuMs = ((user ?? 0) + (sys ?? 0)) * 1000;
        run.maxRssMb = (rssKb ?? 0) / 1024;
      }
      rmSync(scratch, { recursive: true, force: true });
      if (run.code > 2) reject(new Error(`node ${script} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
      else resolve(run);
    });
  });
}

/** Median (of an even count: the mean of the middle two), min and max. */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : sorted.length ? (sorted[middle - 1]! + sorted[middle]!) / 2 : 0;
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
}

/** The spread of a figure every run has (CPU, RSS), or nothing when some run lacks it. */
export function spreadOfAll(values: readonly (number | undefined)[]): Spread | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === values.length && known.length > 0 ? spread(known) : undefined;
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

/**
 * When each request the emulator logs was answered (its log is appended as answers go out), index
 * for index with the log; empty it together with the log before each run.
 */
export function answerTimes(log: { push: (...items: never[]) => number }): number[] {
  const times: number[] = [];
  const push = log.push.bind(log);
  log.push = (...items: never[]) => {
    for (const _ of items) times.push(performance.now());
    return push(...items);
  };
  return times;
}
