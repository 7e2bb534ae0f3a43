/**
 * `npm run bench -- [options]` (bench/options.ts): builds first (package.json), then times the
 * built CLI as whole processes, scenario by scenario (bench/plan-part.ts, apply-part.ts,
 * serve-writes.ts), prints the targets and writes bench/RESULTS.md and .json. Not part of
 * `npm test` (test/bench runs a smoke size).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot } from '../src/commands/tool-info.ts';
import { applyPart } from './apply-part.ts';
import { describeBuild, describeMachine, loadNow, type BenchResult } from './figures.ts';
import { LARGE_N, parseBenchArgs, USAGE, type BenchOptions } from './options.ts';
import { planPart, startPart } from './plan-part.ts';
import { timed } from './process-run.ts';
import { renderResults, summaryLines } from './report.ts';
import { servePart } from './serve-writes.ts';

/** Every scenario of `options`, in one run. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const builds = options.builds.map((dir, i) => describeBuild(resolve(dir), i === 0));
  for (const build of builds) {
    if (!existsSync(resolve(build.dir, 'dist', 'src', 'cli.js'))) throw new Error(`${build.dir} has no dist/src/cli.js: run \`npm run build\` there first`);
  }
  const result: BenchResult = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    load: { start: loadNow(), end: [] },
    settings: {
      builds: builds.map((b) => b.label),
      runs: options.runs,
      baselineRuns: options.baselines ? options.baselineRuns : 0,
      largeRuns: options.large || options.sizes.some((n) => n >= LARGE_N) ? options.largeRuns : options.runs,
      sizes: options.large && !options.sizes.includes(LARGE_N) ? [...options.sizes, LARGE_N] : options.sizes,
      baselineSizes: options.baselines ? options.baselineSizes.filter((n) => options.sizes.includes(n)) : [],
      latencyMs: options.latencyMs,
      applyLatencies: options.applyLatencies,
      changeShare: options.changeShare,
      creates: options.creates,
      ratePerSecond: options.ratePerSecond,
      burst: options.burst,
      baselineParallelism: options.baselineParallelism,
      applyConcurrency: options.applyConcurrency,
      timed,
    },
    start: [],
    plan: [],
    apply: [],
    serve: [],
    durationMs: 0,
  };
  // The plan's floor is process start: start runs whenever plans do.
  if (options.parts.includes('start') || options.parts.includes('plan')) result.start = await startPart(builds, options);
  if (options.parts.includes('plan')) {
    for (const provider of options.providers) {
      for (const n of result.settings.sizes) result.plan.push(...(await planPart(provider, n, builds, result.start, options)));
    }
  }
  if (options.parts.includes('apply')) {
    for (const provider of options.providers) result.apply.push(...(await applyPart(provider, builds, options)));
  }
  if (options.parts.includes('serve')) {
    result.serve = await servePart(builds[0]!.dir, options.providers, { runs: options.runs, writes: options.serveWrites, products: options.serveProducts, concurrency: options.serveConcurrency, log: options.log });
  }
  result.load.end = loadNow();
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseBenchArgs(process.argv.slice(2), packageRoot);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  // `--render FILE.json`: the report again from the figures of an earlier run, without measuring.
  const result: BenchResult = options.render ? (JSON.parse(readFileSync(options.render, 'utf8')) as BenchResult) : await runBench(options);
  process.stdout.write(`${summaryLines(result).join('\n')}\n`);
  if (options.out) {
    writeFileSync(resolve(options.out), renderResults(result));
    const json = options.out.replace(/\.md$/i, '') + '.json';
    if (!options.render) writeFileSync(resolve(json), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\nWrote ${options.out}${options.render ? '' : ` and ${json}`}\n`);
  }
  return 0;
}

// Run as a script (npm run bench), not when the smoke test imports runBench.
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
