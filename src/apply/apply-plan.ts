import pLimit from 'p-limit';
import { PROTECTED_REFUSAL, type ApplyReport, type Change, type ChangeResult, type Plan, type TargetTraffic } from '../model/plan.ts';
import type { Provider } from '../providers/provider.ts';
import { ProviderError } from '../providers/transport/provider-error.ts';
import { Traffic, type TrafficCounts } from '../providers/transport/traffic.ts';
import { impactRefusal, type ImpactPolicy } from './impact-policy.ts';

export interface ApplyOptions {
  /** Writes in flight per target. */
  concurrency: number;
  dryRun: boolean;
  /** High-risk changes (delete, unpublish, auth cycle) run only when this is set. */
  allowDestructive: boolean;
  /** `maxAffected` and `--allow-affected`: high-risk changes affecting too many consumers are skipped. */
  impactPolicy?: ImpactPolicy;
  /**
   * Ids of the deletes and unpublishes whose live object is marked protected when the apply
   * started (plan/stale.ts protectedOnPortal): refused like a change the plan marks protected,
   * so that a plan that did not see the marker cannot bypass it.
   */
  protectedOnPortal?: ReadonlySet<string>;
  /**
   * Why a change not started yet must not start (the run was interrupted, the target's lock was
   * lost): it is skipped with that reason, and the changes in flight finish.
   */
  stopReason?: (change: Change) => string | undefined;
  /** Called once per change as it finishes, for progress lines. */
  onResult?: (result: ChangeResult, change: Change) => void;
  now?: () => Date;
}

/** A target's gate and its counters when the apply started. */
interface Gate {
  traffic: Traffic;
  before: TrafficCounts;
}

/** What the executor needs of a target: its writes and its gate (no reads, no lock). */
export type ApplyingTarget = Pick<Provider, 'apply' | 'traffic'>;

/**
 * Changes in progress per target for each request its gate lets be in flight. A change whose
 * request was refused waits out the server's Retry-After (a second or more) holding its place
 * in the pool; with only as many changes as requests in flight, one wave of 429s left the gate
 * with nothing to send for that second (a 500-create apply at 1 ms latency ran at 85 % of a
 * 100 req/s limit, 99 % with this). The gate, not the pool, bounds the requests in flight.
 */
export const CHANGES_PER_REQUEST_SLOT = 4;

/**
 * Executes a plan's changes phase by phase, in plan order: within a phase, changes run concurrently
 * (bounded per target), a change after the ones of its phase it depends on; a change whose
 * dependency did not apply is skipped, never attempted. A
 * failed change never stops the others. The report records every change, so a partial apply says
 * exactly what was done, and per target the requests, retries and waits it cost.
 *
 * A failure that halts its target (ProviderError.haltsTarget: a create landed without the
 * ownership marker) stops the creates of that target: those not started yet are skipped, naming
 * the failure, because each would leave another product the next run does not recognise. Only
 * creates: updates, publishes and deletes address a product that already carries the marker and
 * make no new one, and stopping them would leave a started sequence (an auth cycle) half-way.
 * The first create of each target in a phase runs alone, before the others, so that a target
 * that drops the marker costs one such product, not one per write in flight.
 *
 * Each target's HTTP requests also pass its adaptive gate (traffic.ts): after a 429 fewer writes are
 * in flight, recovering gradually, so that the run settles under the server's rate limit. Up to
 * CHANGES_PER_REQUEST_SLOT × concurrency changes are in progress per target meanwhile.
 */
export async function applyPlan(plan: Plan, providers: ReadonlyMap<string, ApplyingTarget>, options: ApplyOptions): Promise<ApplyReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const inProgress = options.concurrency * CHANGES_PER_REQUEST_SLOT;
  const limits = new Map(plan.targets.map((target) => [target.name, pLimit(inProgress)]));
  const gates = new Map<string, Gate>();
  const gateOf = (target: string): Gate => {
    let gate = gates.get(target);
    if (!gate) {
      const provider = providers.get(target);
      const traffic = provider?.traffic ?? new Traffic(options.concurrency);
      traffic.setCeiling(options.concurrency);
      traffic.beginPhase();
      gate = { traffic, before: traffic.snapshot() };
      gates.set(target, gate);
    }
    return gate;
  };
  for (const target of plan.targets) gateOf(target.name);
  const results = new Map<string, ChangeResult>();
  /** Target → the change whose failure halted its creates. */
  const halted = new Map<string, string>();
  const byId = new Map(plan.changes.map((change) => [change.id, change]));
  const started = new Map<string, Promise<void>>();
  const waiting = new Set<string>();
  // A dependency in the same phase (an API7 update that frees a service before another takes it)
  // is waited for, outside the pool, so a dependent never holds a place its dependency needs. The
  // planner makes no cycle; one in a plan file (`waiting`) leaves its dependent to be skipped.
  const run = (change: Change): Promise<void> => {
    let running = started.get(change.id);
    if (running) return running;
    const limit = limits.get(change.target) ?? pLimit(inProgress);
    waiting.add(change.id);
    const samePhase = change.dependsOn.map((id) => byId.get(id)).filter((dependency) => dependency?.action === change.action && !waiting.has(dependency.id));
    const dependencies = samePhase.map((dependency) => run(dependency!));
    waiting.delete(change.id);
    running = Promise.all(dependencies).then(() =>
      limit(async () => {
        const { result, haltsTarget } = await runChange(change, providers, results, options, halted.get(change.target));
        results.set(change.id, result);
        if (haltsTarget && !halted.has(change.target)) halted.set(change.target, change.id);
        options.onResult?.(result, change);
      }),
    );
    started.set(change.id, running);
    return running;
  };
  for (const phase of groupIntoPhases(plan.changes)) {
    if (phase[0]!.action !== 'create') {
      await Promise.all(phase.map(run));
      continue;
    }
    await Promise.all(
      [...byTarget(phase).values()].map(async ([first, ...rest]) => {
        await run(first!);
        await Promise.all(rest.map(run));
      }),
    );
  }
  const report: ApplyReport = {
    dryRun: options.dryRun,
    startedAt,
    finishedAt: now().toISOString(),
    results: plan.changes.map((c) => results.get(c.id)!),
  };
  if (!options.dryRun) report.traffic = [...gates].map(([target, gate]) => trafficSince(target, gate, options.concurrency));
  return report;
}

function trafficSince(target: string, { traffic, before }: Gate, configured: number): TargetTraffic {
  const after = traffic.snapshot();
  return {
    target,
    requests: after.requests - before.requests,
    retries: after.retries - before.retries,
    waitMs: after.waitMs - before.waitMs,
    rateLimited: after.rateLimited - before.rateLimited,
    concurrency: { configured, lowest: Math.min(configured, after.lowestLimit) },
    ...(after.pacedPerSecond === undefined ? {} : { pacedPerSecond: after.pacedPerSecond }),
  };
}

/** A phase's changes per target, in plan order. */
function byTarget(phase: readonly Change[]): Map<string, Change[]> {
  const groups = new Map<string, Change[]>();
  for (const change of phase) {
    const group = groups.get(change.target);
    if (group) group.push(change);
    else groups.set(change.target, [change]);
  }
  return groups;
}

/** Consecutive runs of one action, in plan order: the plan already sorted them by phase. */
function groupIntoPhases(changes: readonly Change[]): Change[][] {
  const phases: Change[][] = [];
  for (const change of changes) {
    const current = phases[phases.length - 1];
    if (current && current[0]!.action === change.action) current.push(change);
    else phases.push([change]);
  }
  return phases;
}

/** A change's result, and whether its failure halts its target's creates (kept off the report's shape). */
interface ChangeRun {
  result: ChangeResult;
  haltsTarget: boolean;
}

/** `haltedBy`: the change whose failure halted this target's creates, if one did. */
async function runChange(
  change: Change,
  providers: ReadonlyMap<string, ApplyingTarget>,
  done: ReadonlyMap<string, ChangeResult>,
  options: ApplyOptions,
  haltedBy: string | undefined,
): Promise<ChangeRun> {
  const base = { changeId: change.id, action: change.action, target: change.target, key: change.key };
  const ran = (result: ChangeResult, haltsTarget = false): ChangeRun => ({ result, haltsTarget });
  const skip = (message: string): ChangeRun => ran({ ...base, outcome: 'skipped', message, attempts: 0, durationMs: 0 });
  if (haltedBy && change.action === 'create') {
    return skip(`not attempted: ${haltedBy} showed that ${change.target} drops apiproducts' ownership marker, so this create would leave another product the next run does not recognise`);
  }
  const blocker = change.dependsOn.find((id) => !['applied', 'would-apply'].includes(done.get(id)?.outcome ?? ''));
  if (blocker) return skip(`skipped because ${blocker} did not apply`);
  const removes = change.action === 'delete' || change.action === 'unpublish';
  if (removes && (change.protected || options.protectedOnPortal?.has(change.id))) return skip(PROTECTED_REFUSAL);
  if (change.risk === 'high' && change.protected) {
    return skip('the product is protected: remove `protected: true` in Git first, then apply with --allow-destructive');
  }
  if (change.risk === 'high' && !options.allowDestructive) return skip('high risk: run apply with --allow-destructive to apply it');
  const tooMany = impactRefusal(change, options.impactPolicy);
  if (tooMany) return skip(tooMany);
  const stop = options.stopReason?.(change);
  if (stop) return skip(`not attempted: ${stop}`);
  if (options.dryRun) return ran({ ...base, outcome: 'would-apply', message: 'dry run: not written', attempts: 0, durationMs: 0 });
  const provider = providers.get(change.target);
  if (!provider) return ran({ ...base, outcome: 'failed', message: `target ${change.target} is not connected`, attempts: 0, durationMs: 0 });
  const clock = options.now ?? (() => new Date());
  const started = clock().getTime();
  // The transport retries each request (one layer); the change itself is never re-run.
  const attempt = await provider.apply(change);
  const durationMs = clock().getTime() - started;
  const waited = attempt.waitedMs > 0 ? { waitMs: Math.round(attempt.waitedMs) } : {};
  if (attempt.error === undefined) {
    const confirmed = attempt.confirmedAfterLostAnswer ? { confirmedAfterLostAnswer: true as const } : {};
    return ran({ ...base, outcome: 'applied', attempts: attempt.attempts, durationMs, ...waited, ...confirmed });
  }
  const message = attempt.error instanceof Error ? attempt.error.message : String(attempt.error);
  const halts = attempt.error instanceof ProviderError && attempt.error.haltsTarget;
  return ran({ ...base, outcome: 'failed', message: message.split('\n')[0], attempts: attempt.attempts, durationMs, ...waited }, halts);
}
