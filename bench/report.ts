/**
 * bench/RESULTS.md from a BenchResult: the headline table (scenario, ours, baseline, ratio,
 * requests, RSS, machine, date), the targets of issue 8 with met / missed and why, the requests by
 * endpoint, and how the figures were taken.
 */
import type { ApplyMeasure, BenchResult, Machine, PlanCase, PlanMeasure, PureMeasure } from './bench.ts';
import { thousands } from './format.ts';
import type { ProviderName } from './options.ts';
import { BENCH_PROFILES, benchProfile } from './vendors/index.ts';

export const TARGETS = {
  planMs: 3000,
  planSize: 10000,
  planLatencyMs: 50,
  applyShare: 0.85,
  pureMs: 2000,
  pureRssMb: 200,
  pureSize: 10000,
} as const;

/** Product list requests the targets allow: ⌈N / largest page⌉. */
export function targetListRequests(provider: ProviderName, n: number): number {
  return Math.max(1, Math.ceil(n / benchProfile(provider).maxPageSize));
}

const displayName = (provider: ProviderName): string => benchProfile(provider).displayName;
const CASE_NAME: Record<PlanCase, string> = { 'no-change': 'no changes', changes: 'changes' };

const seconds = (ms: number): string => (ms >= 100_000 ? `${Math.round(ms / 1000)} s` : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`);
const mb = (kb: number | undefined): string => (kb === undefined ? 'n/a' : `${Math.round(kb / 1024)} MB`);
const percent = (share: number): string => `${Math.round(share * 100)}%`;
const times = (ratio: number): string => (ratio >= 10 ? `${Math.round(ratio)}×` : `${ratio.toFixed(1)}×`);

export function machineLine(machine: Machine): string {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node.replace(/^v/, '')}, ${machine.platform}`;
}

function shortMachine(machine: Machine): string {
  return `${machine.cores} × ${machine.cpu.replace(/\(R\)|\(TM\)|CPU|Processor|@.*$/g, '').replace(/\s+/g, ' ').trim()}, ${Math.round(machine.memoryGb)} GB`;
}

function shortDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function planRequests(m: PlanMeasure): string {
  const r = m.requests;
  const parts = [`${r.productLists} list`];
  if (r.productGets) parts.push(`${thousands(r.productGets)} GET`);
  if (r.lookups) parts.push(`${r.lookups} lookup`);
  return `${thousands(r.total)} (${parts.join(' + ')})`;
}

function pairOf(result: BenchResult, provider: ProviderName, n: number, planCase: PlanCase): { ours?: PlanMeasure; baseline?: PlanMeasure } {
  const find = (strategy: string) => result.plan.find((m) => m.provider === provider && m.n === n && m.case === planCase && m.strategy === strategy);
  return { ours: find('ours'), baseline: find('baseline') };
}

function applyCell(m: ApplyMeasure): string {
  return `${seconds(m.result.wallMs)}, ${Math.round(m.perSecond)}/s = ${percent(m.shareOfLimit)} of limit, ${thousands(m.requests.rateLimited)} × 429, ${m.result.failed ?? 0} failed`;
}

/** Faster when the baseline finished the job; otherwise how much of it the baseline failed. */
function applyRatio(ours: ApplyMeasure, baseline: ApplyMeasure): string {
  const failed = baseline.result.failed ?? 0;
  if (failed > 0) return `baseline failed ${thousands(failed)} of ${thousands(baseline.creates)} creates (${percent(failed / baseline.creates)})`;
  return `${times(baseline.result.wallMs / ours.result.wallMs)} faster`;
}

function headline(result: BenchResult): string[] {
  const machine = shortMachine(result.machine);
  const date = shortDate(result.date);
  const rows: string[] = [
    '| Scenario | Ours | Baseline | Ratio | Requests (ours / baseline) | Peak RSS (ours / baseline) | Machine | Date |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const providers = [...new Set([...result.plan, ...result.apply, ...result.pure].map((m) => m.provider))];
  for (const provider of providers) {
    for (const n of result.settings.sizes) {
      for (const planCase of ['no-change', 'changes'] as const) {
        const { ours, baseline } = pairOf(result, provider, n, planCase);
        if (!ours) continue;
        const what = planCase === 'changes' ? `${thousands(ours.expectedChanges)} changes` : 'no changes';
        rows.push(
          `| plan, ${displayName(provider)}, ${thousands(n)} products, ${what} | ${seconds(ours.result.wallMs)} | ${baseline ? seconds(baseline.result.wallMs) : '—'} | ` +
            `${baseline ? `${times(baseline.result.wallMs / ours.result.wallMs)} faster` : '—'} | ${planRequests(ours)} / ${baseline ? planRequests(baseline) : '—'} | ` +
            `${mb(ours.result.maxRssKb)} / ${baseline ? mb(baseline.result.maxRssKb) : '—'} | ${machine} | ${date} |`,
        );
      }
    }
    const ours = result.apply.find((m) => m.provider === provider && m.strategy === 'ours');
    const baselines = result.apply.filter((m) => m.provider === provider && m.strategy !== 'ours');
    if (ours && baselines.length === 0) {
      rows.push(
        `| apply, ${displayName(provider)}, ${thousands(ours.creates)} creates, ${result.settings.ratePerSecond} req/s bucket | ${applyCell(ours)} | — | — | ` +
          `${thousands(ours.requests.total)} / — | ${mb(ours.result.maxRssKb)} / — | ${machine} | ${date} |`,
      );
    }
    for (const baseline of baselines) {
      if (!ours) continue;
      const concurrency = baseline.strategy.replace('fixed-', '');
      rows.push(
        `| apply, ${displayName(provider)}, ${thousands(ours.creates)} creates, ${result.settings.ratePerSecond} req/s bucket; baseline: fixed concurrency ${concurrency}, no backoff | ` +
          `${applyCell(ours)} | ${applyCell(baseline)} | ${applyRatio(ours, baseline)} | ` +
          `${thousands(ours.requests.total)} / ${thousands(baseline.requests.total)} | ${mb(ours.result.maxRssKb)} / ${mb(baseline.result.maxRssKb)} | ${machine} | ${date} |`,
      );
    }
    for (const pure of result.pure.filter((m) => m.provider === provider)) {
      rows.push(
        `| pure stages, ${displayName(provider)}, ${thousands(pure.n)} products (load, validate, diff, plan, render; no network) | ${seconds(pure.result.wallMs)} | — | — | 0 | ` +
          `${mb(pure.result.maxRssKb)} | ${machine} | ${date} |`,
      );
    }
  }
  return rows;
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
  note?: string;
}

/** Every target of issue 8 this run can speak to. */
export function checkTargets(result: BenchResult): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const m of result.plan.filter((p) => p.strategy === 'ours' && p.case === 'no-change')) {
    const allowed = targetListRequests(m.provider, m.n);
    const lists = m.requests.productLists;
    const check: TargetCheck = {
      target: `${displayName(m.provider)} plan of ${thousands(m.n)}, no changes: ⌈N / ${benchProfile(m.provider).maxPageSize}⌉ = ${allowed} product list requests + preflight, no GET per product`,
      measured: `${lists} list + ${m.requests.lookups} lookup (preflight) + ${m.requests.productGets} GET`,
      met: lists <= allowed && m.requests.productGets === 0,
    };
    const note = check.met ? undefined : benchProfile(m.provider).missedListsNote(m.n, lists, m.requests.productGets);
    if (note) check.note = note;
    checks.push(check);
  }
  const largest = Math.max(...result.settings.sizes);
  if (largest >= TARGETS.planSize) {
    for (const m of result.plan.filter((p) => p.strategy === 'ours' && p.n === largest)) {
      checks.push({
        target: `${displayName(m.provider)} plan of ${thousands(m.n)} (${CASE_NAME[m.case]}) at ${result.settings.latencyMs} ms latency under ${TARGETS.planMs / 1000} s`,
        measured: `${seconds(m.result.wallMs)} (load + validate ${seconds(m.result.stages.loadValidate ?? 0)}, observe + plan + preflight ${seconds(m.result.stages.observePlanPreflight ?? 0)}, render ${seconds(m.result.stages.render ?? 0)})`,
        met: m.result.wallMs < TARGETS.planMs,
        ...(result.settings.latencyMs !== TARGETS.planLatencyMs ? { note: `measured at ${result.settings.latencyMs} ms, not ${TARGETS.planLatencyMs} ms` } : {}),
      });
    }
  }
  for (const m of result.plan.filter((p) => p.strategy === 'ours' && p.n >= TARGETS.planSize && p.result.maxRssKb !== undefined)) {
    checks.push({
      target: `${displayName(m.provider)} plan of ${thousands(m.n)} (${CASE_NAME[m.case]}) under ${TARGETS.pureRssMb} MB RSS (DESIGN §10)`,
      measured: mb(m.result.maxRssKb),
      met: m.result.maxRssKb! / 1024 < TARGETS.pureRssMb,
    });
  }
  for (const m of result.apply.filter((a) => a.strategy === 'ours')) {
    checks.push({
      target: `${displayName(m.provider)} apply of ${thousands(m.creates)} creates at ≥ ${percent(TARGETS.applyShare)} of ${result.settings.ratePerSecond} req/s, 0 failures`,
      measured: `${percent(m.shareOfLimit)} (${Math.round(m.perSecond)} creates/s), ${m.result.failed} failed, ${m.requests.rateLimited} × 429, writes in flight ${m.result.concurrency ? `${m.result.concurrency.configured} → lowest ${m.result.concurrency.lowest}` : 'n/a'}`,
      met: m.shareOfLimit >= TARGETS.applyShare && m.result.failed === 0,
    });
  }
  for (const m of result.pure) {
    const rssMb = m.result.maxRssKb === undefined ? undefined : m.result.maxRssKb / 1024;
    checks.push({
      target: `${displayName(m.provider)} pure stages of ${thousands(m.n)} under ${TARGETS.pureMs / 1000} s and ${TARGETS.pureRssMb} MB RSS`,
      measured:
        `${seconds(m.result.wallMs)}, ${rssMb === undefined ? 'RSS n/a (in-process)' : `${Math.round(rssMb)} MB`} ` +
        `(${Object.entries(m.result.stages).map(([stage, ms]) => `${stage} ${seconds(ms)}`).join(', ')})`,
      met: m.result.wallMs < TARGETS.pureMs && (rssMb === undefined || rssMb < TARGETS.pureRssMb),
    });
  }
  return checks;
}

function endpointTables(result: BenchResult): string[] {
  const lines: string[] = [];
  const groups = new Map<string, PlanMeasure[]>();
  for (const m of result.plan) {
    const key = `${m.provider} ${m.n} ${m.case}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  for (const measures of groups.values()) {
    const first = measures[0]!;
    lines.push(`**plan, ${displayName(first.provider)}, ${thousands(first.n)} products, ${CASE_NAME[first.case]}**`, '');
    lines.push('| Endpoint | Ours | Baseline |', '|---|---|---|');
    const endpoints = [...new Set(measures.flatMap((m) => Object.keys(m.requests.byEndpoint)))].sort();
    const of = (strategy: string, endpoint: string) => measures.find((m) => m.strategy === strategy)?.requests.byEndpoint[endpoint] ?? 0;
    for (const endpoint of endpoints) lines.push(`| \`${endpoint}\` | ${thousands(of('ours', endpoint))} | ${thousands(of('baseline', endpoint))} |`);
    lines.push('');
  }
  for (const provider of [...new Set(result.apply.map((m) => m.provider))]) {
    const measures = result.apply.filter((m) => m.provider === provider);
    lines.push(`**apply, ${displayName(provider)}, ${thousands(measures[0]!.creates)} creates** (429 answers in brackets)`, '');
    lines.push(`| Endpoint | ${measures.map((m) => m.strategy).join(' | ')} |`, `|---|${measures.map(() => '---').join('|')}|`);
    const endpoints = [...new Set(measures.flatMap((m) => Object.keys(m.requests.byEndpoint)))].sort();
    for (const endpoint of endpoints) lines.push(`| \`${endpoint}\` | ${measures.map((m) => thousands(m.requests.byEndpoint[endpoint] ?? 0)).join(' | ')} |`);
    lines.push(`| answered 429 | ${measures.map((m) => thousands(m.requests.rateLimited)).join(' | ')} |`, '');
    for (const m of measures.filter((a) => (a.result.failures ?? []).length > 0)) {
      lines.push(`${m.strategy}: first failure: \`${(m.result.failures![0] ?? '').slice(0, 160)}\``, '');
    }
  }
  return lines;
}

function stageTable(result: BenchResult): string[] {
  if (result.pure.length === 0) return [];
  const stages = [...new Set(result.pure.flatMap((m) => Object.keys(m.result.stages)))];
  const lines = [`| Provider | ${stages.join(' | ')} | total | heap at end | peak RSS |`, `|---|${stages.map(() => '---').join('|')}|---|---|---|`];
  for (const m of result.pure as PureMeasure[]) {
    lines.push(
      `| ${displayName(m.provider)} (${thousands(m.n)}) | ${stages.map((s) => `${Math.round(m.result.stages[s] ?? 0)} ms`).join(' | ')} | ${Math.round(m.result.wallMs)} ms | ${m.result.heapUsedMb} MB | ${mb(m.result.maxRssKb)} |`,
    );
  }
  return lines;
}

export function renderResults(result: BenchResult): string {
  const s = result.settings;
  const checks = checkTargets(result);
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Generated by \`npm run bench\` (bench/run.ts) on ${shortDate(result.date)}, ${machineLine(result.machine)}; the run took ${seconds(result.durationMs)}.`,
    `Settings: plan sizes ${s.sizes.map(thousands).join(', ')}; ${s.latencyMs} ms latency on every answer; ${percent(s.changeShare)} of products edited for "changes"; ` +
      `apply of ${thousands(s.creates)} creates under a token bucket of ${s.ratePerSecond} req/s (burst ${s.burst}), our executor at concurrency ${s.applyConcurrency}; ` +
      `pure stages of ${thousands(s.pureSize)} products; Apigee flavour ${s.flavour}; scenario processes: ${s.children}${s.quick ? '; --quick' : ''}.`,
    '',
    '## Headline',
    '',
    ...headline(result),
    '',
    'Ratio: baseline wall time over ours (plan, and apply when the baseline applied everything); otherwise the creates the baseline failed. ' +
      `Requests are what the emulator logged; "lookup" is ${BENCH_PROFILES.map((p) => `${p.lookups} (${p.displayName})`).join(' or ')}: preflight.` +
      (result.floorRssKb === undefined ? '' : ` Peak RSS is per child process; a child that only loads the modules peaks at ${mb(result.floorRssKb)}.`),
    '',
    '## Targets (issue 8)',
    '',
    '| Target | Measured | Met |',
    '|---|---|---|',
    ...checks.map((c) => `| ${c.target} | ${c.measured} | ${c.met ? 'yes' : `**no**${c.note ? `: ${c.note}` : ''}`} |`),
    '',
    '## Pure stages by stage',
    '',
    ...stageTable(result),
    '',
    '## Requests by endpoint',
    '',
    ...endpointTables(result),
    '## How these figures are taken',
    '',
    '- The emulators (src/sandbox) run in the benchmark\'s process with the fault options of src/sandbox/faults.ts: a fixed latency before every answer and, for apply, a token bucket answering 429 with `Retry-After`. ' +
      'Each scenario\'s client runs in a child process of its own, so that its peak RSS (`process.resourceUsage().maxRSS`) is its own; wall time is measured inside the child from the first file read to the rendered plan (Node start-up and module loading excluded).',
    `- Products are generated as YAML files (one per file, by team) and loaded through the real loader and validator. N counts products on the portal: 2% are not managed by apiproducts${BENCH_PROFILES.flatMap((p) => p.portalObjectsNote ?? []).map((note) => `; ${note}`).join('')}. ` +
      `${BENCH_PROFILES.map((p) => p.productsNote).join('; ')}. The portal is seeded with what the provider's own create body becomes in the emulator, so the no-change plan must show 0 changes and the changes plan exactly the edited objects; the benchmark fails otherwise.`,
    '- **Ours** is `apiproducts plan` (load, validate, observe, diff, plan, preflight, text render) against a real (non-sandbox) target. ' +
      `**Baseline** is the same pipeline with the read the peers do: list the names page by page, then one GET per product with ${s.baselineParallelism} in flight (Terraform's default -parallelism); the same HTTP client, lookups, mapping, diff and render.`,
    '- **Apply**: a plan of creates on an empty portal, run by our executor (adaptive concurrency, retries honouring `Retry-After`), against plain loops calling `provider.apply` at fixed concurrency 1 and 10 with no gate and no retry (a 429 fails the change, as a tool without backoff does). ' +
      'Every applied create is checked to be on the portal exactly once. Throughput = applied creates / wall time; share = throughput / bucket rate.',
    '- Re-run: `npm run bench` (about 10 minutes on 2 cores), `npm run bench -- --quick`, or e.g. `npm run bench -- --n 1000,10000 --latency 50 --providers apigee --only plan`. `--cpu-prof DIR` writes a CPU profile per scenario; `--render bench/RESULTS.json` rewrites this file from the saved figures.',
    '',
  ];
  return lines.join('\n');
}

/** A few lines for the terminal. */
export function summaryLines(result: BenchResult): string[] {
  return [...headline(result), '', ...checkTargets(result).map((c) => `${c.met ? 'met   ' : 'MISSED'} ${c.target}: ${c.measured}${c.note ? ` (${c.note})` : ''}`)];
}
