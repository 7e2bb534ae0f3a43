/**
 * Apply, as whole processes: `apiproducts apply --auto-approve` of `creates` products onto an
 * empty portal under a token bucket (plan, then apply, in one process: the very code path users
 * run), at each latency, by every build; and the fixed-concurrency baselines
 * (bench/entries/fixed-apply.ts: N plain writers, no gate, no retry) in the same run. Each run
 * starts from an empty portal and is checked: every applied create on the portal exactly once.
 */
import { join } from 'node:path';
import type { ApplyFigures, Build } from './figures.ts';
import { layout, writeConfig, writeProject } from './generate.ts';
import type { BenchOptions } from './options.ts';
import { benchEnv } from './plan-part.ts';
import { countRequests, startPortal, type Portal } from './portal.ts';
import { answerTimes, cliOf, runNode, spread } from './process-run.ts';

const FIXED_ENTRY = (root: string): string => join(root, 'dist', 'bench', 'entries', 'fixed-apply.js');

interface Writer {
  label: string;
  script: string;
  args: string[];
  runs: number;
  /** Creates the run failed: for ours those not on the portal (its exit code says whether any), for a baseline the count it prints. */
  failedOf(code: number, stdout: string, onPortal: number): { failed: number; failures: string[] };
}

/**
 * Requests the server granted per second while the apply wrote its changes: every 2xx answer (the
 * creates' look-ups count against the bucket as much as the writes) from the first change's
 * answer to the last one's. The target lock's writes are left out: it is taken before the plan's
 * reads (the writes answered before the first read that follows a write) and released by the
 * last write, so counting them would time the plan as part of the apply.
 */
export function grantedPerSecond(requests: readonly { method: string; status: number }[], answeredAt: readonly number[]): number {
  const answers = requests.map((request, i) => ({ ok: request.status < 300, write: request.method !== 'GET', at: answeredAt[i]! })).sort((a, b) => a.at - b.at);
  const firstWrite = answers.find((a) => a.ok && a.write);
  const planRead = firstWrite && answers.find((a) => !a.write && a.at > firstWrite.at);
  const writes = answers.filter((a) => a.ok && a.write && (!planRead || a.at > planRead.at));
  const changes = planRead && writes.length > 2 ? writes.slice(0, -1) : writes;
  if (changes.length < 2) return 0;
  const [from, to] = [changes[0]!.at, changes.at(-1)!.at];
  const granted = answers.filter((a) => a.ok && a.at >= from && a.at <= to).length;
  return to > from ? (granted - 1) / ((to - from) / 1000) : 0;
}

function writers(provider: string, builds: readonly Build[], cwd: string, latencyMs: number, options: BenchOptions): { run: Writer[]; skipped: ApplyFigures[] } {
  const run: Writer[] = builds.map((build) => ({
    label: build.label,
    script: cliOf(build.dir),
    args: ['apply', '--auto-approve', '--chdir', cwd],
    runs: options.runs,
    failedOf: (code, _stdout, onPortal) => ({ failed: code === 0 ? 0 : options.creates - onPortal, failures: code === 0 ? [] : [`exit ${code}`] }),
  }));
  const skipped: ApplyFigures[] = [];
  if (!options.baselines) return { run, skipped };
  for (const concurrency of options.fixedConcurrencies) {
    const label = `fixed-${concurrency}`;
    // Its writes follow one another `concurrency` at a time: at least this long, whatever the bucket.
    const leastMs = (options.creates / concurrency) * latencyMs;
    if (leastMs > options.fixedBudgetMs) {
      skipped.push({ provider, latencyMs, writer: label, creates: options.creates, runs: 0, skipped: `at least ${Math.round(leastMs / 1000)} s a run (${options.creates} creates ÷ ${concurrency} × ${latencyMs} ms): latency-bound at ${Math.round((1000 / latencyMs) * concurrency)} writes/s` });
      continue;
    }
    run.push({
      label,
      script: FIXED_ENTRY(builds[0]!.dir),
      args: ['--chdir', cwd, '--concurrency', String(concurrency)],
      runs: Math.min(options.runs, options.baselineRuns),
      failedOf: (_code, stdout) => {
        const printed = JSON.parse(stdout) as { failed: number; failures: string[] };
        return { failed: printed.failed, failures: printed.failures };
      },
    });
  }
  return { run, skipped };
}

export async function applyPart(provider: string, builds: readonly Build[], options: BenchOptions): Promise<ApplyFigures[]> {
  const l = layout(provider, options.creates, 0, false);
  const project = writeProject(l, { flavour: 'x', changes: false });
  const portal = await startPortal(provider, l, { flavour: 'x' });
  const figures: ApplyFigures[] = [];
  try {
    writeConfig(project.cwd, provider, portal.emulator.url, { flavour: 'x' }, options.applyConcurrency);
    const answered = answerTimes(portal.emulator.requests);
    for (const latencyMs of options.applyLatencies) {
      options.log(`apply: ${provider}, ${l.managedObjects} creates, ${options.ratePerSecond} req/s bucket (burst ${options.burst}), ${latencyMs} ms latency`);
      const { run, skipped } = writers(provider, builds, project.cwd, latencyMs, options);
      const measured: Collecting[] = run.map((w) => ({ provider, latencyMs, writer: w.label, creates: l.managedObjects, runs: 0, rateLimited: 0, failed: 0, walls: [], rates: [] }));
      const most = Math.max(...run.map((w) => w.runs));
      for (let r = 0; r < most; r++) {
        for (const [i, writer] of run.entries()) {
          if (r >= writer.runs) continue;
          options.log(`  apply ${provider} ${latencyMs} ms: ${writer.label}, run ${r + 1} of ${writer.runs}`);
          await oneRun(writer, portal, answered, latencyMs, l.managedObjects, options, measured[i]!);
        }
      }
      figures.push(...measured.map((m) => finish(m, options.ratePerSecond)));
      figures.push(...skipped);
    }
  } finally {
    await portal.close();
    project.remove();
  }
  return figures;
}

/** Raw samples are kept on the figures until finish() turns them into spreads. */
type Collecting = ApplyFigures & { walls?: number[]; rates?: number[] };

async function oneRun(writer: Writer, portal: Portal, answered: number[], latencyMs: number, creates: number, options: BenchOptions, into: Collecting): Promise<void> {
  portal.clearProducts();
  portal.reset({ ...(latencyMs > 0 ? { latencyMs } : {}), rateLimit: { perSecond: options.ratePerSecond, burst: options.burst } });
  answered.length = 0;
  const result = await runNode(writer.script, writer.args, benchEnv());
  const requests = portal.emulator.requests;
  const onPortal = portal.ownedProducts();
  const { failed, failures } = writer.failedOf(result.code, result.stdout, onPortal);
  if (onPortal !== creates - failed) {
    throw new Error(`apply of ${creates} ${portal.provider} creates by ${writer.label}: ${creates - failed} applied but ${onPortal} on the portal`);
  }
  into.runs++;
  into.walls!.push(result.wallMs);
  into.rates!.push(grantedPerSecond(requests, answered));
  into.rateLimited = Math.max(into.rateLimited ?? 0, countRequests(requests).rateLimited);
  into.failed = Math.max(into.failed ?? 0, failed);
  if (failures.length > 0 && !into.failures) into.failures = failures;
}

function finish({ walls, rates, ...m }: Collecting, ratePerSecond: number): ApplyFigures {
  const perSecond = spread(rates!);
  return { ...m, wall: spread(walls!), perSecond, shareOfLimit: perSecond.median / ratePerSecond };
}
