/**
 * `node dist/bench/entries/fixed-apply.js --chdir DIR --concurrency N`: the fixed-concurrency
 * apply baseline as a whole process: every product of the project created on an (empty) portal by
 * N plain workers calling `provider.apply`, each change tried once, no gate, no retry, so that a
 * 429 fails the change as it does in a tool without backoff. The plan of creates is made offline
 * (the bench empties the portal first), so its writes start after load and validate only.
 * Prints `{"applied":…,"failed":…,"failures":[…]}` on stdout; exit 0 either way.
 */
import { parseArgs } from 'node:util';
import { desiredObjects } from '../../src/commands/desired-objects.ts';
import { loadValidProject } from '../../src/commands/project.ts';
import { tool } from '../../src/commands/tool-info.ts';
import type { Change } from '../../src/model/plan.ts';
import { buildPlan } from '../../src/plan/build-plan.ts';
import type { Provider } from '../../src/providers/provider.ts';
import type { RetryPolicy } from '../../src/providers/transport/retry.ts';
import { Traffic, type Ticket } from '../../src/providers/transport/traffic.ts';
import { getProviderKind } from '../../src/registry.ts';

/** A gate that never holds a request back: the fixed-concurrency baseline has no adaptive limit. */
class NoGate extends Traffic {
  override acquire(): Promise<Ticket> {
    return Promise.resolve({ epoch: 0, startedAt: 0 });
  }
  override release(): void {}
}

/** One try per request: the baseline backs off nowhere. */
const NO_RETRY: RetryPolicy = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, rateLimitedAttempts: 1 };

/** Applies `changes` with `concurrency` plain workers: each change is tried once; a refusal is a failure. */
async function fixedLoop(changes: readonly Change[], provider: Provider, concurrency: number): Promise<{ applied: number; failures: string[] }> {
  let next = 0;
  let applied = 0;
  const failures: string[] = [];
  const worker = async (): Promise<void> => {
    while (next < changes.length) {
      const change = changes[next++]!;
      const { error } = await provider.apply(change);
      if (error === undefined) applied++;
      else failures.push(error instanceof Error ? error.message : String(error));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { applied, failures };
}

const { values } = parseArgs({ options: { chdir: { type: 'string' }, concurrency: { type: 'string', default: '10' } } });
const project = loadValidProject({ cwd: values.chdir ?? process.cwd(), targets: [] });
const config = project.targets[0]!;
const kind = getProviderKind(config.provider)!;
const plan = buildPlan({
  targets: [
    {
      name: config.name,
      provider: kind.kind,
      identity: kind.identify(config),
      observedAt: new Date().toISOString(),
      desired: desiredObjects(project.products, config, kind),
      live: [],
      lockedWhilePublished: kind.lockedWhilePublished,
      unpublishConsequence: kind.unpublishConsequence,
      ignore: config.ignore,
      hiddenWhileDraft: kind.hiddenWhileDraft ?? [],
    },
  ],
  prune: false,
  tool,
  createdAt: new Date().toISOString(),
  configDigest: project.digest,
  diagnostics: [],
});
const provider = kind.connect(config, { url: config.url! }, { traffic: new NoGate(), retry: NO_RETRY });
const { applied, failures } = await fixedLoop(plan.changes, provider, Number(values.concurrency));
process.stdout.write(`${JSON.stringify({ applied, failed: failures.length, failures: failures.slice(0, 3) })}\n`);
