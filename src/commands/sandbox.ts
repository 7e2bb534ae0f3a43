import { UserError } from '../model/diagnostic.ts';
import type { FaultOptions } from '../sandbox/fault-options.ts';
import { sandboxFor } from '../registry.ts';
import type { TargetConfig } from '../model/target.ts';
import { resetSandbox, startSandbox, type RunningSandbox } from '../sandbox/index.ts';
import type { Io } from './io.ts';
import { loadValidProject, type ProjectOptions } from './project.ts';
import { sandboxStateDir } from './session.ts';

function sandboxTargets(options: ProjectOptions) {
  const targets = loadValidProject(options).targets.filter((t) => t.sandbox);
  if (targets.length === 0) throw new UserError('no sandbox targets selected: mark a target `sandbox: true` in apiproducts.yaml');
  return targets;
}

/** `apiproducts sandbox reset`: reseed every selected sandbox with its realistic starting portal. */
export async function runSandboxReset(options: ProjectOptions, io: Io): Promise<number> {
  for (const target of sandboxTargets(options)) {
    await resetSandbox(await sandboxFor(target), target, sandboxStateDir(options.cwd));
    io.out(`Reset sandbox ${target.name} (${target.provider}).\n`);
  }
  return 0;
}

/** `apiproducts sandbox serve`: run the sandboxes in the foreground for scripts and curl, until interrupted. */
export async function runSandboxServe(options: ProjectOptions, io: Io, until: Promise<void>, faults?: FaultOptions): Promise<number> {
  const running: { target: TargetConfig; sandbox: RunningSandbox }[] = [];
  try {
    for (const target of sandboxTargets(options)) {
      const sandbox = await startSandbox(await sandboxFor(target), target, sandboxStateDir(options.cwd), { kind: 'serve', command: 'apiproducts sandbox serve' }, faults);
      running.push({ target, sandbox });
      io.out(`${target.name} (${target.provider}) listening on ${sandbox.endpoint.url}\n  token: ${sandbox.endpoint.secret}\n`);
    }
  } catch (error) {
    // One sandbox already owned elsewhere: release the others rather than hold them unserved.
    await Promise.all(running.map(({ sandbox }) => sandbox.close()));
    throw error;
  }
  if (faults) io.out(`Faults: ${describeFaults(faults)}\n`);
  io.out('State is saved on every change; plan, apply, drift and import use these emulators while they run. Press Ctrl-C to stop.\n');
  await until;
  await Promise.all(running.map(({ sandbox }) => sandbox.close()));
  for (const { target, sandbox } of running) {
    const c = sandbox.counters;
    io.out(`${target.name}: ${c.requests} requests, ${c.rateLimited} answered 429, ${c.failed} failed, ${c.dropped} dropped, ${c.slowed} slow, at most ${c.maxInFlight} at once\n`);
  }
  return 0;
}

function describeFaults(faults: FaultOptions): string {
  const parts: string[] = [];
  const latency = faults.latencyMs;
  if (latency !== undefined) parts.push(`latency ${typeof latency === 'number' ? `${latency} ms` : `${latency.min}-${latency.max} ms`}`);
  if (faults.rateLimit) parts.push(`rate limit ${faults.rateLimit.perSecond}/s (burst ${faults.rateLimit.burst ?? Math.max(1, Math.ceil(faults.rateLimit.perSecond))}, Retry-After as ${faults.rateLimit.retryAfter ?? 'seconds'})`);
  if (faults.failRate) parts.push(`${faults.failRate * 100}% answered ${faults.failStatus ?? 503} (${faults.failPhase ?? 'before'} processing)`);
  if (faults.dropRate) parts.push(`${faults.dropRate * 100}% dropped (${faults.dropPhase ?? 'random'} processing)`);
  if (faults.slowRate) parts.push(`${faults.slowRate * 100}% answered after ${faults.slowMs ?? 60_000} ms`);
  parts.push(`seed ${faults.seed ?? 1}`);
  return parts.join(', ');
}
