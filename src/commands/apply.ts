import { escapeText } from '../model/display.ts';
import { ExitCode, formatDiagnostic, UserError } from '../model/diagnostic.ts';
import type { Plan } from '../model/plan.ts';
import { applyPlan } from '../apply/apply-plan.ts';
import { printAnnotations } from '../github/annotations.ts';
import { renderApplyJson } from '../render/apply-json.ts';
import { renderPlanText } from '../render/plan-text.ts';
import { countOutcomes, renderProgressLine, renderReportText } from '../render/report-text.ts';
import type { Io, OutputFormat } from './io.ts';
import { makePlan } from './make-plan.ts';
import { loadValidProject, type ProjectOptions, type ValidProject } from './project.ts';
import { readSavedPlan, refuseStalePlan } from './saved-plan.ts';
import { openTargets, type OpenTargets } from './session.ts';
import { lockTargets, type TargetLocks } from './target-locks.ts';
import type { LockClock } from '../apply/target-lock.ts';
import { describeHolder } from '../apply/lock-holder.ts';

export interface ApplyCommandOptions extends ProjectOptions {
  format: OutputFormat;
  /** A plan file from `plan --out`: apply exactly it, after checking it is not stale. */
  planFile?: string;
  autoApprove: boolean;
  dryRun: boolean;
  allowDestructive: boolean;
  /** `--allow-affected N`: lifts a target's maxAffected for changes affecting at most N consumers. */
  allowAffected?: number;
  prune: boolean;
  /** `--lock-timeout`: how long to wait for another run's target lock; 0 fails at once. */
  lockTimeoutMs: number;
  /** `--no-lock`: write without taking the target locks (a run known to be alone). */
  noLock: boolean;
  /** Resolves on SIGINT/SIGTERM: changes not started are skipped, the report printed, exit 130. */
  interrupted?: () => Promise<void>;
  lockClock?: LockClock;
}

/** A run that writes nothing needs no lock. */
const NO_LOCKS: TargetLocks = { lostOn: () => undefined, release: async () => [] };

/**
 * `apiproducts apply [plan.json]`: lock, plan (or read the saved plan and check it is not stale),
 * show, confirm, execute, report, unlock. The locks are taken before the targets are read, so the
 * plan that runs was made by the one writer: a second run, or the same saved plan applied twice,
 * sees the first one's writes and has nothing left to do (or is refused as stale, exit 3).
 */
export async function runApply(options: ApplyCommandOptions, io: Io): Promise<number> {
  const stop = new AbortController();
  options.interrupted?.().then(
    () => {
      io.err('\nInterrupt received: finishing the changes in flight, starting no more (a second Ctrl-C kills the run at once).\n');
      stop.abort();
    },
    () => undefined,
  );
  const project = loadValidProject(options);
  const command = options.planFile ? `apply ${options.planFile}` : 'apply';
  if (!options.planFile) {
    const open = await openTargets(project.targets, options.cwd, io, 'apiproducts apply');
    try {
      return await whileLocked(open, options, command, stop.signal, io, async (locks) => {
        const plan = await makePlan(project, open, { prune: options.prune || project.config.prune });
        return execute(plan, project, open, locks, stop.signal, options, io);
      });
    } finally {
      await open.close();
    }
  }
  if (options.targets.length || options.prune || options.only?.length) {
    throw new UserError('a saved plan is applied exactly as it is: --target, --product and --prune belong on the `plan --out` command that made it');
  }
  const { plan, warnings } = readSavedPlan(options.planFile, options.cwd, project);
  for (const warning of warnings) io.err(formatDiagnostic(warning) + '\n');
  const targets = project.config.targets.filter((t) => plan.targets.some((p) => p.name === t.name));
  const open = await openTargets(targets, options.cwd, io, 'apiproducts apply');
  try {
    return await whileLocked(open, options, command, stop.signal, io, async (locks) => {
      const protectedNow = await refuseStalePlan(plan, open);
      return execute(plan, project, open, locks, stop.signal, options, io, protectedNow);
    });
  } finally {
    await open.close();
  }
}

/** Runs `work` holding every target's lock (none for a dry run or --no-lock), released however it ends. */
async function whileLocked(open: OpenTargets, options: ApplyCommandOptions, command: string, signal: AbortSignal, io: Io, work: (locks: TargetLocks) => Promise<number>): Promise<number> {
  if (options.dryRun || options.noLock) return work(NO_LOCKS);
  const locks = await lockTargets(open.sessions, {
    timeoutMs: options.lockTimeoutMs,
    command,
    env: io.env,
    signal,
    ...(options.lockClock ? { clock: options.lockClock } : {}),
    onWait: (target, holders) => io.err(`${escapeText(target)} is locked by ${holders.map(describeHolder).join('; ')}; waiting up to ${Math.round(options.lockTimeoutMs / 1000)} s\n`),
  });
  try {
    return await work(locks);
  } finally {
    for (const problem of await locks.release()) io.err(io.style.yellow('Warning: ') + escapeText(problem) + '\n');
  }
}

/** `protectedNow`: the removals a saved plan makes that the live markers protect (a fresh plan marks them itself). */
async function execute(plan: Plan, project: ValidProject, open: OpenTargets, locks: TargetLocks, signal: AbortSignal, options: ApplyCommandOptions, io: Io, protectedNow?: ReadonlySet<string>): Promise<number> {
  const log = options.format === 'json' ? io.err : io.out;
  log(renderPlanText(plan, io.style));
  printAnnotations(plan.diagnostics, io.env, options.cwd, io.err);
  if (plan.changes.length === 0) {
    if (options.format === 'json') io.out(renderApplyJson(plan, null));
    return ExitCode.ok;
  }
  // A saved plan was the approval (as `terraform apply plan.tfplan`): it is applied without asking again.
  if (!options.dryRun && !options.autoApprove && !options.planFile) await confirm(io);
  log('\n');
  const report = await applyPlan(plan, open.providers, {
    concurrency: project.config.concurrency,
    dryRun: options.dryRun,
    allowDestructive: options.allowDestructive,
    ...(protectedNow ? { protectedOnPortal: protectedNow } : {}),
    impactPolicy: {
      maxAffected: new Map(project.config.targets.flatMap((target) => (target.maxAffected === undefined ? [] : [[target.name, target.maxAffected] as const]))),
      ...(options.allowAffected !== undefined ? { allowAffected: options.allowAffected } : {}),
    },
    stopReason: (change) => (signal.aborted ? 'the run was interrupted (SIGINT or SIGTERM)' : locks.lostOn(change.target)),
    onResult: (result) => log(renderProgressLine(result, io.style) + '\n'),
  });
  log(renderReportText(report, io.style));
  if (options.format === 'json') io.out(renderApplyJson(plan, report));
  if (signal.aborted) {
    io.err(io.style.yellow('Interrupted: ') + 'the changes in flight were finished and every change not started was skipped (listed above); run plan to see what is left.\n');
    return ExitCode.interrupted;
  }
  const counts = countOutcomes(report);
  return counts.failed + counts.skipped > 0 ? ExitCode.partialApply : ExitCode.ok;
}

async function confirm(io: Io): Promise<void> {
  if (!io.interactive) {
    throw new UserError('apply needs confirmation and there is no terminal to ask; review the plan and pass --auto-approve (for CI), or run it in a terminal');
  }
  const answer = await io.ask("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
  if (answer.trim() !== 'yes') throw new UserError('apply cancelled; nothing was changed');
}
