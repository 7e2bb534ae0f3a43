/**
 * `npm run bench -- [options]`: what to measure, at which sizes, latencies and rate limit, and how
 * many runs of each.
 */
import { parseArgs } from 'node:util';
import { BENCH_PROFILES } from './vendors/index.ts';

/** A provider kind with a bench profile (bench/vendors/index.ts). */
export type ProviderName = string;

const PROVIDERS = BENCH_PROFILES.map((profile) => profile.kind);
export const PARTS = ['start', 'plan', 'apply', 'serve'] as const;
export type Part = (typeof PARTS)[number];

/** Products of the `--large` plan: no-change only, ours only (the baseline would take ~10 minutes a run). */
export const LARGE_N = 100_000;

export interface BenchOptions {
  /** Directories holding a built apiproducts: the first is measured, the rest (`--compare DIR`) run side by side. */
  builds: string[];
  /** Runs of every figure of ours (`--runs 5`). */
  runs: number;
  /** Runs of the baselines (`--baseline-runs 3`): a baseline plan of 1,000 products takes ~6 s, of 10,000 ~55 s. */
  baselineRuns: number;
  /** Products on the portal for the plan scenarios (`--n 1000,10000`). */
  sizes: number[];
  /** Sizes at which the baseline plan runs too (`--baseline-n 1000`; `--baseline-n 1000,10000` for 10k). */
  baselineSizes: number[];
  /** `--large`: a no-change plan of LARGE_N products as well, `largeRuns` runs. */
  large: boolean;
  largeRuns: number;
  /** Added by the emulators before every answer, ms (`--latency 50`). */
  latencyMs: number;
  /** Latencies of the apply scenario (`--apply-latency 50,1`). */
  applyLatencies: number[];
  providers: ProviderName[];
  /** Share of Git products edited for the "changes" plan (`--changes 0.1`). */
  changeShare: number;
  /** Creates in the apply scenario (`--creates 1000`). */
  creates: number;
  /** Token bucket of the apply scenario: requests per second and bucket size (`--rate 100 --burst 10`). */
  ratePerSecond: number;
  burst: number;
  /** In-flight GETs of the peer-like baseline read (Terraform's default -parallelism). */
  baselineParallelism: number;
  /** Writers of the fixed-concurrency apply baselines (`--fixed 1,10`). */
  fixedConcurrencies: number[];
  /** A fixed-concurrency run whose writes one after another would take longer than this is skipped (and reported so). */
  fixedBudgetMs: number;
  /** Writes in flight of our apply (the configuration's `concurrency`). */
  applyConcurrency: number;
  /** Run the baselines (`--no-baseline`: ours only, to iterate on a fix). */
  baselines: boolean;
  /** Which parts run (`--only plan,apply`). */
  parts: Part[];
  /** `sandbox serve`: PUTs per run, products in its state, requests in flight. */
  serveWrites: number;
  serveProducts: number;
  serveConcurrency: number;
  /** Where the report goes, with the raw figures next to it (`.json`); undefined: printed only (`--no-write`). */
  out: string | undefined;
  /** `--render FILE.json`: write the report again from the figures of an earlier run, measuring nothing. */
  render?: string;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

export const DEFAULTS: Omit<BenchOptions, 'log' | 'builds'> = {
  runs: 5,
  baselineRuns: 3,
  sizes: [1000, 10000],
  baselineSizes: [1000],
  large: false,
  largeRuns: 3,
  latencyMs: 50,
  applyLatencies: [50, 1],
  providers: PROVIDERS,
  changeShare: 0.1,
  creates: 1000,
  ratePerSecond: 100,
  burst: 10,
  baselineParallelism: 10,
  fixedConcurrencies: [1, 10],
  fixedBudgetMs: 20_000,
  applyConcurrency: 8,
  baselines: true,
  parts: [...PARTS],
  serveWrites: 1000,
  serveProducts: 10000,
  serveConcurrency: 16,
  out: 'bench/RESULTS.md',
};

export const USAGE = `Usage: npm run bench -- [options]      (npm run build first: every figure is a process of dist/)

  --runs 5              runs of every figure of ours (median, min–max)
  --baseline-runs 3     runs of the baselines (peer-like plan, fixed-concurrency apply)
  --n 1000,10000        products on the portal for the plans
  --baseline-n 1000     sizes at which the baseline plan runs too (~55 s a run at 10,000)
  --large               also a no-change plan of ${LARGE_N.toLocaleString('en-US')} products, ours only
  --large-runs 3        runs of it
  --latency 50          ms the emulators add to every answer of a plan
  --apply-latency 50,1  latencies of the apply scenario
  --providers ${PROVIDERS.join(',')}
  --changes 0.1         share of products edited for the "changes" plan
  --creates 1000        creates in the apply scenario
  --rate 100            token bucket of the apply scenario, requests/s
  --burst 10            bucket size
  --fixed 1,10          writers of the fixed-concurrency apply baselines (no gate, no retry)
  --compare DIR         another built apiproducts (e.g. a worktree of main after npm run build), side by side; repeatable
  --no-baseline         ours only (to iterate on a fix)
  --only ${PARTS.join(',')}
  --serve-writes 1000   PUTs per run of the sandbox serve scenario
  --serve-products 10000
  --serve-concurrency 16
  --out FILE            report (default bench/RESULTS.md, figures in bench/RESULTS.json); --no-write: print only
  --render FILE.json    write the report again from the figures of an earlier run
`;

function list<T extends string>(value: string, allowed: readonly T[], flag: string): T[] {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  const wrong = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (wrong.length || items.length === 0) throw new Error(`${flag}: expected some of ${allowed.join(', ')}, got "${value}"`);
  return items as T[];
}

function number(value: string, flag: string, integer = true): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || (integer && !Number.isInteger(parsed))) {
    throw new Error(`${flag}: expected a ${integer ? 'whole ' : ''}number ≥ 0, got "${value}"`);
  }
  return parsed;
}

function numbers(value: string, flag: string, integer = true): number[] {
  const parsed = value.split(',').map((item) => number(item.trim(), flag, integer));
  if (parsed.length === 0) throw new Error(`${flag}: expected at least one number`);
  return parsed;
}

function atLeastOne(value: number, flag: string): number {
  if (value < 1) throw new Error(`${flag}: expected at least 1, got ${value}`);
  return value;
}

const started = Date.now();
const stderrLog = (line: string): void => void process.stderr.write(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s] ${line}\n`);

/** The options of `argv`; `root` is this checkout, the first build. */
export function parseBenchArgs(argv: readonly string[], root: string, log: (line: string) => void = stderrLog): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      runs: { type: 'string' },
      'baseline-runs': { type: 'string' },
      n: { type: 'string' },
      'baseline-n': { type: 'string' },
      large: { type: 'boolean' },
      'large-runs': { type: 'string' },
      latency: { type: 'string' },
      'apply-latency': { type: 'string' },
      providers: { type: 'string' },
      changes: { type: 'string' },
      creates: { type: 'string' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      fixed: { type: 'string' },
      compare: { type: 'string', multiple: true },
      'no-baseline': { type: 'boolean' },
      only: { type: 'string' },
      'serve-writes': { type: 'string' },
      'serve-products': { type: 'string' },
      'serve-concurrency': { type: 'string' },
      out: { type: 'string' },
      'no-write': { type: 'boolean' },
      render: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const options: BenchOptions = { ...DEFAULTS, builds: [root, ...(values.compare ?? [])], log };
  if (values.runs !== undefined) options.runs = atLeastOne(number(values.runs, '--runs'), '--runs');
  if (values['baseline-runs'] !== undefined) options.baselineRuns = atLeastOne(number(values['baseline-runs'], '--baseline-runs'), '--baseline-runs');
  if (values.n !== undefined) options.sizes = numbers(values.n, '--n').map((n) => atLeastOne(n, '--n'));
  if (values['baseline-n'] !== undefined) options.baselineSizes = numbers(values['baseline-n'], '--baseline-n');
  if (values.large) options.large = true;
  if (values['large-runs'] !== undefined) options.largeRuns = atLeastOne(number(values['large-runs'], '--large-runs'), '--large-runs');
  if (values.latency !== undefined) options.latencyMs = number(values.latency, '--latency', false);
  if (values['apply-latency'] !== undefined) options.applyLatencies = numbers(values['apply-latency'], '--apply-latency', false);
  if (values.providers !== undefined) options.providers = list(values.providers, PROVIDERS, '--providers');
  if (values.changes !== undefined) {
    options.changeShare = number(values.changes, '--changes', false);
    if (options.changeShare > 1) throw new Error('--changes: a share between 0 and 1');
  }
  if (values.creates !== undefined) options.creates = atLeastOne(number(values.creates, '--creates'), '--creates');
  if (values.rate !== undefined) options.ratePerSecond = atLeastOne(number(values.rate, '--rate', false), '--rate');
  if (values.burst !== undefined) options.burst = atLeastOne(number(values.burst, '--burst'), '--burst');
  if (values.fixed !== undefined) options.fixedConcurrencies = numbers(values.fixed, '--fixed').map((c) => atLeastOne(c, '--fixed'));
  if (values['no-baseline']) options.baselines = false;
  if (values.only !== undefined) options.parts = list(values.only, PARTS, '--only');
  if (values['serve-writes'] !== undefined) options.serveWrites = atLeastOne(number(values['serve-writes'], '--serve-writes'), '--serve-writes');
  if (values['serve-products'] !== undefined) options.serveProducts = atLeastOne(number(values['serve-products'], '--serve-products'), '--serve-products');
  if (values['serve-concurrency'] !== undefined) options.serveConcurrency = atLeastOne(number(values['serve-concurrency'], '--serve-concurrency'), '--serve-concurrency');
  if (values.out !== undefined) options.out = values.out;
  if (values['no-write']) options.out = undefined;
  if (values.render !== undefined) options.render = values.render;
  return options;
}
