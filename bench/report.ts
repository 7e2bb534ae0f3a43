/**
 * bench/RESULTS.md from a BenchResult: the machine, its load and the run counts; start, plan
 * (ours and the baseline side by side, with the network floor and measured ÷ floor), 100,000
 * products against 10,000, apply, `sandbox serve`; the targets of issue 21, met or not; and how
 * the figures are taken.
 */
import type { ApplyFigures, BenchResult, Machine, PlanFigures } from './figures.ts';
import { thousands } from './format.ts';
import { LARGE_N } from './options.ts';
import type { Spread } from './process-run.ts';
import { BENCH_PROFILES, benchProfile } from './vendors/index.ts';

export const TARGETS = { startMs: 150, planFloorRatio: 1.5, planSize: 10_000, applyShare: 0.95, largeRssMb: 1024, largeTimeRatio: 12, serveWritesPerSecond: 1000 } as const;

const displayName = (provider: string): string => benchProfile(provider).displayName;
const duration = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
/** `1282 ms (1245–1377)`, `12.3 s (11.9–13.0)`: min and max in the median's unit. */
function durations(s: Spread): string {
  const [value, unit] = s.median >= 10_000 ? [(ms: number) => (ms / 1000).toFixed(1), ' s'] : [(ms: number) => String(Math.round(ms)), ' ms'];
  return `${value(s.median)}${unit} (${value(s.min)}–${value(s.max)})`;
}
const ranged = (s: Spread, unit?: (v: number) => string): string => (unit ? `${unit(s.median)} (${unit(s.min)}–${unit(s.max)})` : durations(s));
const mb = (s: Spread | undefined): string => (s ? `${Math.round(s.median)} MB` : '–');
const percent = (share: number): string => `${Math.round(share * 100)} %`;
const caseName = (m: PlanFigures): string => (m.case === 'no-change' ? 'no changes' : `${thousands(m.changes)} changes`);

export function machineLine(machine: Machine): string {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node.replace(/^v/, '')}, ${machine.platform}`;
}

function requestsCell(m: PlanFigures): string {
  const r = m.requests;
  const parts = [`${r.productLists} list`];
  if (r.productGets) parts.push(`${thousands(r.productGets)} GET`);
  if (r.lookups) parts.push(`${r.lookups} lookup`);
  return `${thousands(r.total)} (${parts.join(' + ')})`;
}

const ours = (result: BenchResult): string => result.settings.builds[0] ?? '';
/** The reader of a plan figure, with its document cache when measured both ways. */
const readerOf = (m: PlanFigures): string => `${m.reader}${m.cache ? ` (${m.cache} cache)` : ''}`;
const cacheNote = (m: PlanFigures): string => (m.cache ? `, ${m.cache} document cache` : '');
/** The same reader's figure at another size or case. */
const sameReader = (a: PlanFigures, b: PlanFigures): boolean => a.provider === b.provider && a.reader === b.reader && a.cache === b.cache;

function planTables(result: BenchResult): string[] {
  const lines: string[] = [];
  for (const provider of [...new Set(result.plan.map((m) => m.provider))]) {
    lines.push(`### Plan, ${displayName(provider)}: ${result.settings.latencyMs} ms latency`, '');
    lines.push('| products | plan | reader | runs | wall | CPU | peak RSS | requests | round trips | floor | ÷ floor | baseline ÷ this |');
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const m of result.plan.filter((p) => p.provider === provider)) {
      const baseline = result.plan.find((b) => b.provider === provider && b.n === m.n && b.case === m.case && b.reader === 'baseline');
      const versus = baseline && m.reader !== 'baseline' ? `${(baseline.wall.median / m.wall.median).toFixed(1)}×` : '–';
      lines.push(
        `| ${thousands(m.n)} | ${caseName(m)} | ${readerOf(m)} | ${m.runs} | ${ranged(m.wall)} | ${m.cpu ? ranged(m.cpu) : '–'} | ${mb(m.rssMb)} | ${requestsCell(m)} | ${m.roundTrips} | ${duration(m.floorMs)} | ${m.ratio.toFixed(2)} | ${versus} |`,
      );
    }
    lines.push('');
  }
  return lines;
}

/** 100,000 products against 10,000: the same reader's no-change plan, medians. */
function largeTable(result: BenchResult): string[] {
  const large = result.plan.filter((m) => m.n >= LARGE_N && m.case === 'no-change');
  if (large.length === 0) return [];
  const lines = [`### ${thousands(LARGE_N)} products against 10,000 (no-change plan, medians)`, ''];
  lines.push('| vendor | reader | runs | wall | CPU | peak RSS | requests | wall ÷ 10k | CPU ÷ 10k | RSS ÷ 10k |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const m of large) {
    const small = result.plan.find((s) => sameReader(s, m) && s.n === 10_000 && s.case === 'no-change');
    const over = (a: Spread | undefined, b: Spread | undefined): string => (a && b && b.median > 0 ? `${(a.median / b.median).toFixed(1)}×` : '–');
    lines.push(
      `| ${displayName(m.provider)} | ${readerOf(m)} | ${m.runs} | ${ranged(m.wall)} | ${m.cpu ? ranged(m.cpu) : '–'} | ${mb(m.rssMb)} | ${thousands(m.requests.total)} | ${over(m.wall, small?.wall)} | ${over(m.cpu, small?.cpu)} | ${over(m.rssMb, small?.rssMb)} |`,
    );
  }
  return [...lines, '', 'Linear would be 10×. The 10,000 figure is of the same run (it needs 10,000 in `--n`, as by default).', ''];
}

function applyTables(result: BenchResult): string[] {
  const s = result.settings;
  const lines: string[] = [];
  for (const provider of [...new Set(result.apply.map((m) => m.provider))]) {
    lines.push(`### Apply, ${displayName(provider)}: ${thousands(s.creates)} creates, token bucket ${s.ratePerSecond} req/s (burst ${s.burst})`, '');
    lines.push('| latency | writer | runs | wall | granted/s | of limit | 429s (most in a run) | failed creates (most in a run) |', '|---|---|---|---|---|---|---|---|');
    for (const m of result.apply.filter((a) => a.provider === provider)) lines.push(applyRow(m));
    lines.push('');
    for (const m of result.apply.filter((a) => a.provider === provider && (a.failures ?? []).length > 0)) {
      lines.push(`${m.writer} at ${m.latencyMs} ms, first failure: \`${(m.failures![0] ?? '').slice(0, 160)}\``, '');
    }
  }
  return lines;
}

function applyRow(m: ApplyFigures): string {
  if (m.skipped || !m.wall || !m.perSecond) return `| ${m.latencyMs} ms | ${m.writer} | 0 | not run: ${m.skipped ?? 'no runs'} | | | | |`;
  return `| ${m.latencyMs} ms | ${m.writer} | ${m.runs} | ${ranged(m.wall)} | ${ranged(m.perSecond, (v) => v.toFixed(1))} | ${percent(m.shareOfLimit ?? 0)} | ${m.rateLimited} | ${m.failed} |`;
}

function serveTable(result: BenchResult): string[] {
  if (result.serve.length === 0) return [];
  const lines = ['### `sandbox serve`: PUTs per second', '', '| sandbox | products in state | PUTs a run | in flight | runs | writes/s | failed | all in the state file at exit |', '|---|---|---|---|---|---|---|---|'];
  for (const s of result.serve) {
    lines.push(`| ${displayName(s.provider)} | ${thousands(s.products)} | ${thousands(s.writes)} | ${s.concurrency} | ${s.runs} | ${ranged(s.perSecond, (v) => String(Math.round(v)))} | ${s.failed} | ${s.allSaved ? 'yes' : 'no'} |`);
  }
  return [...lines, ''];
}

/** Product list requests a plan of N may make: ⌈N / largest page⌉. */
export function targetListRequests(provider: string, n: number): number {
  return Math.max(1, Math.ceil(n / benchProfile(provider).maxPageSize));
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** Every target of issue 21 (and issue 8's request counts) this run speaks to, for this checkout's build. */
export function checkTargets(result: BenchResult): TargetCheck[] {
  const build = ours(result);
  const checks: TargetCheck[] = [];
  for (const start of result.start.filter((s) => s.build === build)) {
    checks.push({ target: `\`--version\` and \`--help\` under ${TARGETS.startMs} ms`, measured: `${duration(start.version.median)} and ${duration(start.help.median)}`, met: Math.max(start.version.median, start.help.median) < TARGETS.startMs });
  }
  for (const m of result.plan.filter((p) => p.reader === build && p.case === 'no-change' && p.cache !== 'warm')) {
    const allowed = targetListRequests(m.provider, m.n);
    const lists = m.requests.productLists;
    const met = lists <= allowed && m.requests.productGets === 0;
    const note = met ? undefined : benchProfile(m.provider).missedListsNote(m.n, lists, m.requests.productGets);
    checks.push({
      target: `${displayName(m.provider)}: no-change plan of ${thousands(m.n)} in ⌈N / ${benchProfile(m.provider).maxPageSize}⌉ = ${allowed} list pages + lookups, no GET per product (issue 8)`,
      measured: `${lists} list + ${m.requests.lookups} lookup + ${m.requests.productGets} GET${note ? ` (${note})` : ''}`,
      met,
    });
  }
  for (const m of result.plan.filter((p) => p.reader === build && p.n === TARGETS.planSize && p.case === 'no-change')) {
    checks.push({
      target: `${displayName(m.provider)}: no-change plan of ${thousands(m.n)} ≤ ${TARGETS.planFloorRatio}× the network floor (process start + critical path)${cacheNote(m)}`,
      measured: `${duration(m.wall.median)} ÷ ${duration(m.floorMs)} = ${m.ratio.toFixed(2)}`,
      met: m.ratio <= TARGETS.planFloorRatio,
    });
  }
  for (const m of result.apply.filter((a) => a.writer === build && a.perSecond)) {
    checks.push({
      target: `${displayName(m.provider)}: apply at ≥ ${percent(TARGETS.applyShare)} of ${result.settings.ratePerSecond} req/s at ${m.latencyMs} ms, 0 failures`,
      measured: `${percent(m.shareOfLimit ?? 0)}, ${m.failed} failed, ${m.rateLimited} × 429`,
      met: (m.shareOfLimit ?? 0) >= TARGETS.applyShare && m.failed === 0,
    });
  }
  for (const m of result.plan.filter((p) => p.reader === build && p.n >= LARGE_N)) {
    const small = result.plan.find((s) => sameReader(s, m) && s.n === 10_000 && s.case === 'no-change');
    const timeRatio = small ? m.wall.median / small.wall.median : undefined;
    checks.push({
      target: `${displayName(m.provider)}: ${thousands(m.n)} products below ${TARGETS.largeRssMb} MB RSS and linear in time (≤ ${TARGETS.largeTimeRatio}× the wall of 10,000)${cacheNote(m)}`,
      measured: `${mb(m.rssMb)}, ${timeRatio === undefined ? 'no 10,000 figure in this run' : `${timeRatio.toFixed(1)}× the wall of 10,000`}`,
      met: (m.rssMb?.median ?? Infinity) < TARGETS.largeRssMb && timeRatio !== undefined && timeRatio <= TARGETS.largeTimeRatio,
    });
  }
  for (const s of result.serve) {
    checks.push({ target: `${displayName(s.provider)}: \`sandbox serve\` sustains ${TARGETS.serveWritesPerSecond} writes/s`, measured: `${Math.round(s.perSecond.median)} writes/s, ${s.failed} failed`, met: s.perSecond.median >= TARGETS.serveWritesPerSecond && s.failed === 0 && s.allSaved });
  }
  return checks;
}

function header(result: BenchResult): string[] {
  const s = result.settings;
  const load = (values: number[]): string => values.map((v) => v.toFixed(2)).join(' ');
  return [
    '# Benchmark results',
    '',
    `Generated by \`npm run bench\` on ${result.date.slice(0, 10)} ${result.date.slice(11, 16)} UTC; the run took ${duration(result.durationMs)}.`,
    '',
    `- Machine: ${machineLine(result.machine)}; load average (1, 5, 15 min) ${load(result.load.start)} at the start, ${load(result.load.end)} at the end.`,
    `- Builds: ${s.builds.join('; ')}. Every figure is whole processes: the median (min–max) of ${s.runs} runs of ours, ${s.baselineRuns} of each baseline (fewer: one baseline plan of 1,000 products takes about 6 s, of 10,000 about 55 s)${s.largeRuns !== s.runs ? `, ${s.largeRuns} at ${thousands(LARGE_N)} products` : ''}.`,
    `- Plans at ${s.sizes.map(thousands).join(', ')} products (baseline at ${s.baselineSizes.length ? s.baselineSizes.map(thousands).join(', ') : 'none'}), ${s.latencyMs} ms latency on every answer, ${percent(s.changeShare)} of the products edited for "changes".`,
    "- Apigee is emulated as its X flavour (`flavour: x`).",
    `- Apply: ${thousands(s.creates)} creates onto an empty portal under a token bucket of ${s.ratePerSecond} req/s (burst ${s.burst}), at ${s.applyLatencies.map((l) => `${l} ms`).join(' and ')}; our concurrency ${s.applyConcurrency}.`,
    `- CPU (user + sys) and peak RSS: ${s.timed ? 'GNU time (`/usr/bin/time`)' : 'not measured (no /usr/bin/time)'}.`,
    '',
  ];
}

function method(result: BenchResult): string[] {
  const s = result.settings;
  return [
    '## How these figures are taken',
    '',
    '- The emulators (src/sandbox) run in the bench\'s process with the fault options of src/sandbox/faults.ts: a fixed latency before every answer and, for apply, a token bucket answering 429 with `Retry-After`. Each figure is a process spawned from there, timed from spawn to exit.',
    `- **this checkout** (and each \`--compare\` build) is \`node dist/src/cli.js\`: \`plan --chdir DIR --products DIR\` and \`apply --auto-approve\` (plan, then apply, in one process). **baseline** is \`node dist/bench/entries/baseline-plan.js\`: our load, validate, diff, plan, preflight and render with the read the peers do (Terraform's refresh, ADC): list the names page by page, then one GET per product, ${s.baselineParallelism} in flight. **fixed-N** is \`node dist/bench/entries/fixed-apply.js\`: N plain writers calling \`provider.apply\`, no gate, no retry (a 429 fails the create), from a plan of creates made offline. Builds and baselines run alternately within each run, so that the load falls on all alike. A build with the document cache is measured twice: **cold cache**, its cache removed before each run (a fresh checkout, as CI without the cache), and **warm cache**, right after a cold run (the same checkout planned again).`,
    '- **Round trips** are the plan\'s observed critical path: the emulator\'s answers grouped into waves, a new wave when an answer comes at least half a latency after the current wave\'s first (requests in flight together answer within a few ms of each other; a page that needed the previous one comes a latency later); the median over the runs. **Floor** = process start (the build\'s `--version` median) + round trips × latency: what the plan would take if nothing but its waits cost time. **÷ floor** = wall median ÷ floor.',
    `- Products are generated as YAML files (one per file, by team) and read by the real loader. N counts products on the portal, 2 % of them not managed by apiproducts${BENCH_PROFILES.flatMap((p) => p.portalObjectsNote ?? []).map((note) => `; ${note}`).join('')}. ${BENCH_PROFILES.map((p) => p.productsNote).join('; ')}. Each plan must show exactly the expected changes and write nothing, each apply put every applied create on the portal once; the bench fails otherwise. Requests are what the emulator logged; "lookup" is ${BENCH_PROFILES.map((p) => `${p.lookups} (${p.displayName})`).join(' or ')}.`,
    '- **granted/s**: requests answered 2xx (the changes\' writes and look-ups: the bucket counts them all) per second from the first change\'s answer to the last one\'s, the target lock\'s writes (before the plan, and its release) left out; **of limit**: its median ÷ the bucket\'s rate. `sandbox serve`: the built CLI serving a sandbox whose state holds that many products, a client replacing products (PUT) over keep-alive connections; its state file is checked after it stops.',
    '- Re-run: `npm run bench` (`npm run bench -- --help` for the options), e.g. `-- --n 1000 --runs 2`, `-- --only plan --providers apigee`, `-- --large`, `-- --baseline-n 1000,10000`, `-- --compare ../main`; `--render bench/RESULTS.json` writes this file again from the saved figures.',
    '',
  ];
}

export function renderResults(result: BenchResult): string {
  const checks = checkTargets(result);
  const start = result.start.length
    ? ['## Start', '', '| build | runs | `--version` | `--help` |', '|---|---|---|---|', ...result.start.map((s) => `| ${s.build} | ${s.runs} | ${ranged(s.version)} | ${ranged(s.help)} |`), '']
    : [];
  return [
    ...header(result),
    '## Targets (issue 21; request counts: issue 8), this checkout',
    '',
    '| Target | Measured | Met |',
    '|---|---|---|',
    ...checks.map((c) => `| ${c.target} | ${c.measured} | ${c.met ? 'yes' : '**no**'} |`),
    '',
    ...start,
    ...(result.plan.length ? ['## Plan', '', ...planTables(result), ...largeTable(result)] : []),
    ...(result.apply.length ? ['## Apply', '', ...applyTables(result)] : []),
    ...(result.serve.length ? ['## Sandbox', '', ...serveTable(result)] : []),
    ...method(result),
  ].join('\n');
}

/** A few lines for the terminal. */
export function summaryLines(result: BenchResult): string[] {
  return checkTargets(result).map((c) => `${c.met ? 'met   ' : 'MISSED'} ${c.target}: ${c.measured}`);
}
