/**
 * What one `npm run bench` measures (bench/RESULTS.json), part by part: every figure is whole
 * processes, the median (min–max) of `runs` runs.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename } from 'node:path';
import type { RequestCounts } from './portal.ts';
import type { Spread } from './process-run.ts';

/** A built apiproducts measured: this checkout, or a `--compare` one. */
export interface Build {
  dir: string;
  /** `this checkout (abc1234)`, `main (abc1234)`. */
  label: string;
}

export interface StartFigures {
  build: string;
  runs: number;
  version: Spread;
  help: Spread;
}

export type PlanCase = 'no-change' | 'changes';

export interface PlanFigures {
  provider: string;
  /** Products on the portal. */
  n: number;
  case: PlanCase;
  /** A build's label, or `baseline` (bench/entries/baseline-plan.ts, this checkout's build). */
  reader: string;
  /**
   * A build with the document cache (src/load/document-cache.ts) is measured twice: `cold`, its
   * cache removed before each run (a fresh checkout), and `warm`, right after a cold run (an
   * unchanged checkout planned again). Absent for a build without it and for the baseline.
   */
  cache?: 'cold' | 'warm';
  runs: number;
  wall: Spread;
  cpu?: Spread;
  rssMb?: Spread;
  /** Of the last run (every run of a reader reads the same). */
  requests: RequestCounts;
  /** The median run's critical path: answers that had to follow one another. */
  roundTrips: number;
  /** Process start (this build's `--version` median) + roundTrips × latency. */
  floorMs: number;
  /** wall median ÷ floorMs. */
  ratio: number;
  changes: number;
}

export interface ApplyFigures {
  provider: string;
  latencyMs: number;
  /** A build's label (`apply --auto-approve`), or `fixed-1`, `fixed-10`. */
  writer: string;
  creates: number;
  runs: number;
  wall?: Spread;
  /** Requests granted (2xx) per second, from the first successful write to the last. */
  perSecond?: Spread;
  /** perSecond's median ÷ the bucket's rate. */
  shareOfLimit?: number;
  /** The most answers 429 in a run. */
  rateLimited?: number;
  /** The most creates a run failed (or left off the portal). */
  failed?: number;
  /** First failure messages of a baseline, for the report. */
  failures?: string[];
  /** Why it did not run (a fixed baseline that would take too long). */
  skipped?: string;
}

export interface ServeFigures {
  provider: string;
  products: number;
  writes: number;
  concurrency: number;
  runs: number;
  perSecond: Spread;
  failed: number;
  /** Every run's state file held every write once serve had stopped. */
  allSaved: boolean;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
}

export interface BenchResult {
  date: string;
  machine: Machine;
  /** 1, 5 and 15 minute load averages when the run started and ended: the machine is shared. */
  load: { start: number[]; end: number[] };
  settings: {
    builds: string[];
    runs: number;
    baselineRuns: number;
    largeRuns: number;
    sizes: number[];
    baselineSizes: number[];
    latencyMs: number;
    applyLatencies: number[];
    changeShare: number;
    creates: number;
    ratePerSecond: number;
    burst: number;
    baselineParallelism: number;
    applyConcurrency: number;
    /** CPU and RSS come from /usr/bin/time; without it, wall time only. */
    timed: boolean;
  };
  start: StartFigures[];
  plan: PlanFigures[];
  apply: ApplyFigures[];
  serve: ServeFigures[];
  durationMs: number;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU',
    cores: list.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
}

export const loadNow = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);

/** `this checkout (abc1234)` for the first build, `<directory> (abc1234)` for the others. */
export function describeBuild(dir: string, first: boolean): Build {
  const head = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const commit = head.status === 0 ? ` (${head.stdout.trim()})` : '';
  return { dir, label: `${first ? 'this checkout' : basename(dir)}${commit}` };
}
