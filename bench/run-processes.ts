/**
 * `npm run bench:processes -- [--n 10000] [--runs 5] [--latency 50] [--creates 1000] [--rate 100]
 * [--burst 10] [--providers api7,apigee] [--serve-writes 2000] [--serve-products 10000]
 * [--serve-concurrency 16] [--compare DIR]... [--out FILE.md]`: the whole-process figures of
 * bench/processes.ts and the writes per second of `sandbox serve` (bench/serve-writes.ts), printed
 * as Markdown (and written to FILE.md). `--compare DIR`: a
 * directory holding another built apiproducts (e.g. a worktree of main after `npm run build`),
 * run side by side as the baseline. Run `npm run build` first: the processes run dist/.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/commands/tool-info.ts';
import { runProcessBench, spread, type ProcessBenchResult, type Spread } from './processes.ts';
import { runServeWrites } from './serve-writes.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '5' },
    latency: { type: 'string', default: '50' },
    creates: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '100' },
    burst: { type: 'string', default: '10' },
    'serve-writes': { type: 'string', default: '2000' },
    'serve-products': { type: 'string', default: '10000' },
    'serve-concurrency': { type: 'string', default: '16' },
    providers: { type: 'string', default: 'api7,apigee' },
    compare: { type: 'string', multiple: true, default: [] },
    out: { type: 'string' },
  },
});

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const options = {
  builds: [packageRoot, ...(values.compare ?? []).map((dir) => resolve(dir))],
  providers: values.providers!.split(','),
  n: Number(values.n),
  runs: Number(values.runs),
  latencyMs: Number(values.latency),
  creates: Number(values.creates),
  ratePerSecond: Number(values.rate),
  burst: Number(values.burst),
  log: (line: string) => process.stderr.write(`${line} (load ${load()})\n`),
};
const loadBefore = load();
const results: ProcessBenchResult[] = [];
for (const provider of options.providers) results.push(await runProcessBench(provider, options));
const serve: ServeFigures[] = [];
for (const provider of options.providers) {
  if (provider !== 'api7' && provider !== 'apigee') continue;
  const writes = Number(values['serve-writes']);
  const products = Number(values['serve-products']);
  const concurrency = Number(values['serve-concurrency']);
  options.log(`serve: ${provider}: ${writes} PUTs, ${concurrency} in flight, ${products} products`);
  const runs = [];
  for (let i = 0; i < options.runs; i++) runs.push(await runServeWrites({ build: packageRoot, provider, products, writes, concurrency }));
  serve.push({ provider, products, writes, concurrency, perSecond: spread(runs.map((r) => r.perSecond)), failed: runs.reduce((n, r) => n + r.failed, 0), allSaved: runs.every((r) => r.saved === writes) });
}
const render = (machine: string) => renderProcesses(results, machine) + renderServe(serve, options.runs);
process.stdout.write(render(`${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${loadBefore} at the start, ${load()} at the end`));
if (values.out) writeFileSync(resolve(values.out), render(`${cpus().length} cores, Node ${process.version}, load ${loadBefore} → ${load()}`));

interface ServeFigures {
  provider: string;
  products: number;
  writes: number;
  concurrency: number;
  perSecond: Spread;
  failed: number;
  /** Every run's state file held every write once serve had stopped. */
  allSaved: boolean;
}

function renderServe(all: readonly ServeFigures[], runs: number): string {
  if (all.length === 0) return '';
  const lines = [`### \`sandbox serve\`: PUTs per second, medians (min–max) of ${runs} runs`, ''];
  lines.push('| sandbox | products in state | PUTs | in flight | writes/s | failed | all in the state file at exit |', '|---|---|---|---|---|---|---|');
  for (const s of all) {
    lines.push(`| ${s.provider} | ${s.products} | ${s.writes} | ${s.concurrency} | ${Math.round(s.perSecond.median)} (${Math.round(s.perSecond.min)}–${Math.round(s.perSecond.max)}) | ${s.failed} | ${s.allSaved ? 'yes' : 'no'} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderProcesses(all: readonly ProcessBenchResult[], machine: string): string {
  const ms = (s: Spread) => `${Math.round(s.median)} ms (${Math.round(s.min)}–${Math.round(s.max)})`;
  const lines = [`Whole processes of the built CLI, ${machine}; medians (min–max) of ${all[0]?.runs ?? 0} runs.`, ''];
  for (const result of all) {
    lines.push(`### ${result.provider}: N = ${result.n}, ${result.latencyMs} ms latency`, '');
    lines.push('| build | --version | --help | no-change plan | CPU | peak RSS | requests | round trips | floor | ÷ floor | apply: writes/s | of limit | 429s | failed |');
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const b of result.builds) {
      lines.push(`| ${b.build} | ${ms(b.version)} | ${ms(b.help)} | ${ms(b.plan.wall)} | ${b.plan.cpu ? ms(b.plan.cpu) : '–'} | ${b.plan.rssMb ? `${Math.round(b.plan.rssMb.median)} MB` : '–'} | ${b.plan.requests} | ${b.plan.roundTrips} | ${Math.round(b.plan.floorMs)} ms | ${b.plan.ratio.toFixed(2)} | ${b.apply.perSecond.toFixed(1)} (${b.apply.creates} creates, ${ms(b.apply.wall)}) | ${(b.apply.shareOfLimit * 100).toFixed(0)} % | ${b.apply.rateLimited} | ${b.apply.failed ? 'yes' : 'no'} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
