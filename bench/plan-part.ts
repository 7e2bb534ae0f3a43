/**
 * Start and plan, as whole processes: `--version` and `--help` of every build; then, for each
 * vendor and size, a no-change plan and a plan with a share of the products edited, by every
 * build's `apiproducts plan` and by the peer-like baseline (bench/entries/baseline-plan.ts),
 * alternately within each run so that the machine's load falls on all alike. Each plan is checked:
 * exactly the expected changes, no write to the portal.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_CACHED_FILES } from '../src/load/document-cache.ts';
import type { BenchOptions } from './options.ts';
import { LARGE_N } from './options.ts';
import type { Build, PlanCase, PlanFigures, StartFigures } from './figures.ts';
import { desiredOf, layout, loadProject, writeConfig, writeProject } from './generate.ts';
import { countRequests, startPortal, type RequestCounts } from './portal.ts';
import { answerTimes, cliOf, roundTrips, runNode, spread, spreadOfAll, type ProcessRun } from './process-run.ts';
import { BENCH_PROFILES } from './vendors/index.ts';

/** The credentials every generated target reads, as the emulators accept them. */
export const benchEnv = (): Record<string, string> => Object.fromEntries(BENCH_PROFILES.map((p) => [p.tokenEnv, p.token]));

const BASELINE_ENTRY = (root: string): string => join(root, 'dist', 'bench', 'entries', 'baseline-plan.js');

export async function startPart(builds: readonly Build[], options: BenchOptions): Promise<StartFigures[]> {
  options.log(`start: --version and --help, ${options.runs} runs of each build`);
  const env = benchEnv();
  const samples = builds.map(() => ({ version: [] as number[], help: [] as number[] }));
  for (let run = 0; run < options.runs; run++) {
    for (const [i, build] of builds.entries()) {
      samples[i]!.version.push((await runNode(cliOf(build.dir), ['--version'], env)).wallMs);
      samples[i]!.help.push((await runNode(cliOf(build.dir), ['--help'], env)).wallMs);
    }
  }
  return builds.map((build, i) => ({ build: build.label, runs: options.runs, version: spread(samples[i]!.version), help: spread(samples[i]!.help) }));
}

/** The change count of a text plan: the sum of its `Plan: … to create, … to delete.` line(s); 0 without one. */
export function changesOf(planText: string): number {
  let changes = 0;
  for (const match of planText.matchAll(/Plan: (\d+) to create, (\d+) to update, (\d+) to publish, (\d+) to unpublish, (\d+) to delete\./g)) {
    changes += match.slice(1).reduce((sum, count) => sum + Number(count), 0);
  }
  return changes;
}

interface Reader {
  label: string;
  script: string;
  /** The process's arguments for a plan of `productsDir` in `cwd`. */
  args(cwd: string, productsDir: string): string[];
  /** Start-up of the process: the `--version` median of the build it runs from. */
  startMs: number;
  runs: number;
  /** How the run meets the document cache (figures.ts); `cold` removes it first. */
  cache?: 'cold' | 'warm';
}

interface Samples {
  runs: ProcessRun[];
  trips: number[];
  requests?: RequestCounts;
}

/** Every build and (when asked at this size) the baseline, for one vendor and size. */
function readersAt(n: number, builds: readonly Build[], start: readonly StartFigures[], options: BenchOptions): Reader[] {
  const large = n >= LARGE_N;
  const runs = large ? options.largeRuns : options.runs;
  const readers: Reader[] = builds.flatMap((build, i) => {
    const reader: Reader = {
      label: build.label,
      script: cliOf(build.dir),
      args: (cwd, productsDir) => ['plan', '--chdir', cwd, '--products', productsDir],
      startMs: start[i]?.version.median ?? 0,
      runs,
    };
    // Warm right after cold, in every run: the cold run leaves the cache the warm one reads.
    const cached = n >= MIN_CACHED_FILES && existsSync(join(build.dir, 'dist', 'src', 'load', 'document-cache.js'));
    return cached ? [{ ...reader, cache: 'cold' as const }, { ...reader, cache: 'warm' as const }] : [reader];
  });
  if (options.baselines && !large && options.baselineSizes.includes(n)) {
    readers.push({
      label: 'baseline',
      script: BASELINE_ENTRY(builds[0]!.dir),
      args: (cwd, productsDir) => ['--chdir', cwd, '--products', productsDir, '--parallelism', String(options.baselineParallelism)],
      startMs: start[0]?.version.median ?? 0,
      runs: Math.min(runs, options.baselineRuns),
    });
  }
  return readers;
}

/** The plans of one vendor at one size: a generated project and portal, every case, reader and run. */
export async function planPart(provider: string, n: number, builds: readonly Build[], start: readonly StartFigures[], options: BenchOptions): Promise<PlanFigures[]> {
  // 100,000 products: no-change only, as the issue's target is about (and the files are many).
  const withChanges = n < LARGE_N && options.changeShare > 0;
  options.log(`plan: ${provider}, ${n} products: generating the project and the portal`);
  const l = layout(provider, n, withChanges ? options.changeShare : 0);
  const project = writeProject(l, { flavour: 'x', changes: withChanges });
  const portal = await startPortal(provider, l, { flavour: 'x' });
  const figures: PlanFigures[] = [];
  try {
    writeConfig(project.cwd, provider, portal.emulator.url, { flavour: 'x' }, options.applyConcurrency);
    portal.plant(desiredOf(loadProject(project.cwd, project.productsDir), provider));
    const answered = answerTimes(portal.emulator.requests);
    const env = { ...benchEnv(), APIPRODUCTS_CACHE_DIR: project.documentCache };
    const cases: [PlanCase, string, number][] = [['no-change', project.productsDir, 0]];
    if (withChanges) cases.push(['changes', project.changedDir, l.changedObjects]);
    const readers = readersAt(n, builds, start, options);
    for (const [planCase, productsDir, expected] of cases) {
      const samples: Samples[] = readers.map(() => ({ runs: [], trips: [] }));
      const most = Math.max(...readers.map((r) => r.runs));
      for (let run = 0; run < most; run++) {
        for (const [i, reader] of readers.entries()) {
          if (run >= reader.runs) continue;
          options.log(`  plan ${provider} ${n} ${planCase}: ${reader.label}${reader.cache ? ` (${reader.cache} cache)` : ''}, run ${run + 1} of ${reader.runs}`);
          if (reader.cache === 'cold') rmSync(project.documentCache, { recursive: true, force: true });
          portal.reset(options.latencyMs > 0 ? { latencyMs: options.latencyMs } : {});
          answered.length = 0;
          const result = await runNode(reader.script, reader.args(project.cwd, productsDir), env);
          const what = `plan of ${n} ${provider} products (${planCase}) by ${reader.label}`;
          const changes = changesOf(result.stdout);
          if (result.code === 1) throw new Error(`${what} failed (exit 1)`);
          if (changes !== expected) throw new Error(`${what}: ${changes} changes, expected ${expected}: the portal is not what the products say`);
          const requests = countRequests(portal.emulator.requests);
          if (requests.writes > 0) throw new Error(`${what} wrote to the portal (${requests.writes} writes)`);
          samples[i]!.runs.push(result);
          samples[i]!.trips.push(roundTrips(answered, options.latencyMs));
          samples[i]!.requests = requests;
        }
      }
      readers.forEach((reader, i) => figures.push(summarise(provider, n, planCase, reader, samples[i]!, expected, options.latencyMs)));
    }
  } finally {
    await portal.close();
    project.remove();
  }
  return figures;
}

function summarise(provider: string, n: number, planCase: PlanCase, reader: Reader, sample: Samples, changes: number, latencyMs: number): PlanFigures {
  const wall = spread(sample.runs.map((r) => r.wallMs));
  const roundTripsMedian = spread(sample.trips).median;
  const floorMs = reader.startMs + roundTripsMedian * latencyMs;
  const cpu = spreadOfAll(sample.runs.map((r) => r.cpuMs));
  const rssMb = spreadOfAll(sample.runs.map((r) => r.maxRssMb));
  return {
    provider,
    n,
    case: planCase,
    reader: reader.label,
    ...(reader.cache ? { cache: reader.cache } : {}),
    runs: sample.runs.length,
    wall,
    ...(cpu ? { cpu } : {}),
    ...(rssMb ? { rssMb } : {}),
    requests: sample.requests!,
    roundTrips: roundTripsMedian,
    floorMs,
    ratio: floorMs > 0 ? wall.median / floorMs : 0,
    changes,
  };
}
