/**
 * `npm run bench -- [options]`: what to measure, at which sizes, latency and rate limit.
 */
import { parseArgs } from 'node:util';
import type { ApigeeFlavour } from '../src/sandbox/apigee/state.ts';
import type { ChildMode } from './runner.ts';
import { BENCH_PROFILES } from './vendors/index.ts';

/** A provider kind with a bench profile (bench/vendors/index.ts). */
export type ProviderName = string;

const PROVIDERS = BENCH_PROFILES.map((profile) => profile.kind);
export type Part = 'plan' | 'apply' | 'pure';

export interface BenchOptions {
  /** Products on the portal for the plan scenarios (`--n 1000,10000`). */
  sizes: number[];
  /** Added by the emulators before every answer, ms (`--latency 50`). */
  latencyMs: number;
  providers: ProviderName[];
  /** The Apigee flavour emulated (`--flavour x`): X is the one whose 6,000 calls/min are enforced. */
  flavour: ApigeeFlavour;
  /** Share of Git products edited for the "changes" plan scenario (`--changes 0.1`). */
  changeShare: number;
  /** Creates in the apply scenario (`--creates 2000`). */
  creates: number;
  /** Token bucket of the apply scenario: requests per second and bucket size (`--rate 100 --burst 10`). */
  ratePerSecond: number;
  burst: number;
  /** Products of the pure-stages scenario (`--pure 10000`). */
  pureSize: number;
  /** In-flight GETs of the peer-like baseline read (Terraform's default -parallelism). */
  baselineParallelism: number;
  /** Writes in flight of our apply (the configuration default). */
  applyConcurrency: number;
  /** Run the baselines too (`--no-baseline`: ours only, to iterate on a fix). */
  baselines: boolean;
  /** Which parts to run (`--only plan,apply`). */
  parts: Part[];
  /** Run every scenario in this process instead of one child per scenario (no RSS per scenario; for the smoke test). */
  inProcess: boolean;
  /** `--render FILE.json`: write the results of an earlier run again, measuring nothing. */
  render?: string;
  /** Where the results go, with the raw figures next to it (`.json`); undefined: not written (`--out FILE`, `--no-write`). */
  out: string | undefined;
  /** `--cpu-prof DIR`: each child scenario writes a V8 CPU profile there. */
  cpuProfDir: string | undefined;
  quick: boolean;
  /** How children start; compiled by default (runner.ts prepareChildren). */
  childMode?: ChildMode;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

export const DEFAULTS: Omit<BenchOptions, 'log'> = {
  sizes: [1000, 10000],
  latencyMs: 50,
  providers: PROVIDERS,
  flavour: 'x',
  changeShare: 0.1,
  creates: 2000,
  ratePerSecond: 100,
  burst: 10,
  pureSize: 10000,
  baselineParallelism: 10,
  applyConcurrency: 8,
  baselines: true,
  parts: ['plan', 'apply', 'pure'],
  inProcess: false,
  out: 'bench/RESULTS.md',
  cpuProfDir: undefined,
  quick: false,
};

/** `--quick`: one size (1,000 unless --n says otherwise) and 400 creates: a few minutes instead of ten. */
const QUICK = { sizes: [1000], creates: 400 };

export const USAGE = `Usage: npm run bench -- [options]

  --n 1000,10000      products on the portal for the plan scenarios (default 1000,10000)
  --latency 50        ms the emulators add to every answer (default 50)
  --providers ${PROVIDERS.join(',')}
  --flavour x         Apigee flavour: edge or x (default x)
  --changes 0.1       share of products edited for the "changes" plan (default 0.1)
  --creates 2000      creates in the apply scenario (default 2000)
  --rate 100          token bucket of the apply scenario, requests/s (default 100)
  --burst 10          bucket size (default 10)
  --pure 10000        products of the pure-stages scenario (default 10000)
  --only plan,apply,pure
  --no-baseline       ours only (to iterate on a fix; no ratios)
  --quick             --n 1000 and --creates 400 unless given
  --in-process        no child process per scenario (no RSS per scenario)
  --cpu-prof DIR      write a V8 CPU profile of each scenario to DIR
  --out FILE          results file (default bench/RESULTS.md, figures in bench/RESULTS.json); --no-write: print only
  --render FILE.json  write the results file again from the figures of an earlier run
`;

function list<T extends string>(value: string, allowed: readonly T[], flag: string): T[] {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  const wrong = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (wrong.length || items.length === 0) throw new Error(`${flag}: expected some of ${allowed.join(', ')}, got "${value}"`);
  return items as T[];
}

function positive(value: string, flag: string, integer = true): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || (integer && !Number.isInteger(number))) throw new Error(`${flag}: expected a ${integer ? 'whole ' : ''}number ≥ 0, got "${value}"`);
  return number;
}

const started = Date.now();
const stderrLog = (line: string): void => void process.stderr.write(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s] ${line}\n`);

export function parseBenchArgs(argv: readonly string[], log: (line: string) => void = stderrLog): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      n: { type: 'string' },
      latency: { type: 'string' },
      providers: { type: 'string' },
      flavour: { type: 'string' },
      changes: { type: 'string' },
      creates: { type: 'string' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      pure: { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean' },
      'in-process': { type: 'boolean' },
      'cpu-prof': { type: 'string' },
      out: { type: 'string' },
      'no-write': { type: 'boolean' },
      'no-baseline': { type: 'boolean' },
      render: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  const options: BenchOptions = { ...DEFAULTS, ...(quick ? QUICK : {}), quick, log };
  if (values.n !== undefined) {
    options.sizes = values.n.split(',').map((size) => positive(size.trim(), '--n')).filter((size) => size > 0);
    if (options.sizes.length === 0) throw new Error('--n: expected at least one size');
  }
  if (values.latency !== undefined) options.latencyMs = positive(values.latency, '--latency', false);
  if (values.providers !== undefined) options.providers = list(values.providers, PROVIDERS, '--providers');
  if (values.flavour !== undefined) options.flavour = list(values.flavour, ['edge', 'x'] as const, '--flavour')[0]!;
  if (values.changes !== undefined) {
    options.changeShare = positive(values.changes, '--changes', false);
    if (options.changeShare > 1) throw new Error('--changes: a share between 0 and 1');
  }
  if (values.creates !== undefined) options.creates = positive(values.creates, '--creates');
  if (values.rate !== undefined) options.ratePerSecond = positive(values.rate, '--rate', false);
  if (values.burst !== undefined) options.burst = positive(values.burst, '--burst');
  if (values.pure !== undefined) options.pureSize = positive(values.pure, '--pure');
  if (values.only !== undefined) options.parts = list(values.only, ['plan', 'apply', 'pure'] as const, '--only');
  if (values['in-process']) options.inProcess = true;
  if (values['cpu-prof'] !== undefined) options.cpuProfDir = values['cpu-prof'];
  if (values.out !== undefined) options.out = values.out;
  if (values['no-write']) options.out = undefined;
  if (values['no-baseline']) options.baselines = false;
  if (values.render !== undefined) options.render = values.render;
  return options;
}
