/**
 * `npm run bench:processes -- [--n 10000] [--runs 5] [--latency 50] [--creates 1000] [--rate 100]
 * [--burst 10] [--providers api7,apigee] [--compare DIR]... [--out FILE.md]`: the whole-process
 * figures of bench/processes.ts, printed as Markdown (and written to FILE.md). `--compare DIR`: a
 * directory holding another built apiproducts (e.g. a worktree of main after `npm run build`),
 * run side by side as the baseline. Run `npm run build` first: the processes run dist/.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/commands/tool-info.ts';
import { runProcessBench, type ProcessBenchResult, type Spread } from './processes.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '5' },
    latency: { type: 'string', default: '50' },
    creates: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '100' },
    burst: { type: 'string', default: '10' },
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
process.stdout.write(renderProcesses(results, `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${loadBefore} at the start, ${load()} at the end`));
if (values.out) writeFileSync(resolve(values.out), renderProcesses(results, `${cpus().length} cores, Node ${process.version}, load ${loadBefore} → ${load()}`));

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
