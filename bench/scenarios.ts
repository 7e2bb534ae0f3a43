/**
 * The client side of every scenario: what runs in the child process (or in this one with
 * --in-process) while the emulators run in the parent. Each returns its own timings; the parent
 * adds the requests the emulator logged and the child's peak RSS.
 */
import { performance } from 'node:perf_hooks';
import { applyPlan } from '../src/apply/apply-plan.ts';
import { Traffic, type Ticket } from '../src/providers/transport/traffic.ts';
import type { RetryPolicy } from '../src/providers/transport/retry.ts';
import { makePlan } from '../src/commands/make-plan.ts';
import type { ValidProject } from '../src/commands/project.ts';
import type { OpenTargets } from '../src/commands/session.ts';
import { tool } from '../src/commands/tool-info.ts';
import { fingerprint } from '../src/model/fingerprint.ts';
import type { Change, Plan } from '../src/model/plan.ts';
import type { TargetConfig } from '../src/model/target.ts';
import { buildPlan } from '../src/plan/build-plan.ts';
import { getProviderKind } from '../src/registry.ts';
import type { Provider, ProviderKind } from '../src/providers/provider.ts';
import type { DesiredObject, LiveObject } from '../src/model/objects.ts';
import { renderPlanJson } from '../src/render/plan-json.ts';
import { renderPlanMarkdown } from '../src/render/plan-markdown.ts';
import { renderPlanText } from '../src/render/plan-text.ts';
import { plainStyle } from '../src/render/style.ts';
import { checkProjectRules } from '../src/validate/project-rules.ts';
import { desiredOf, loadProject } from './generate.ts';
import type { ProviderName } from './options.ts';
import { benchProfile } from './vendors/index.ts';

export type PlanStrategy = 'ours' | 'baseline';
/** `fixed`: a plain loop of `concurrency` workers, each change tried once, no gate, no backoff. */
export type ApplyStrategy = 'ours' | 'fixed';

export type ScenarioSpec =
  | { kind: 'plan'; strategy: PlanStrategy; provider: ProviderName; cwd: string; productsDir: string; parallelism: number }
  | { kind: 'apply'; strategy: ApplyStrategy; provider: ProviderName; cwd: string; productsDir: string; concurrency: number }
  | { kind: 'pure'; provider: ProviderName; cwd: string; productsDir: string; changeShare: number }
  /** Loads every module and stops: the RSS floor of a child. */
  | { kind: 'floor' };

export interface ScenarioResult {
  /** From the start of the measured work to its end, ms (Node start-up and module loading excluded). */
  wallMs: number;
  /** Named parts of wallMs, ms. */
  stages: Record<string, number>;
  /** Changes in the plan made (plan, pure) or run (apply). */
  changes: number;
  applied?: number;
  failed?: number;
  /** The first failure messages (apply), for the report. */
  failures?: string[];
  /** Our apply: the lowest writes-in-flight limit the adaptive gate reached, and its configured one. */
  concurrency?: { configured: number; lowest: number };
  /** Peak resident set size of the process that ran it, KiB (undefined in-process: not isolated). */
  maxRssKb?: number;
  /** V8 heap in use at the end, MiB. */
  heapUsedMb: number;
}

const now = (): number => performance.now();
const round = (ms: number): number => Math.round(ms * 10) / 10;

function session(project: ValidProject, provider: (target: TargetConfig, kind: ProviderKind) => Provider): OpenTargets {
  const config = project.targets[0]!;
  const kind = getProviderKind(config.provider)!;
  const connected = provider(config, kind);
  return { sessions: [{ config, kind, provider: connected }], providers: new Map([[config.name, connected]]), close: async () => {} };
}

/** `apiproducts plan` against a real target: load, validate, observe, diff, plan, preflight, render. */
async function plan(spec: Extract<ScenarioSpec, { kind: 'plan' }>): Promise<ScenarioResult> {
  const started = now();
  const project = loadProject(spec.cwd, spec.productsDir);
  const loaded = now();
  const open = session(project, (target, kind) =>
    spec.strategy === 'ours' ? kind.connect(target, { url: target.url! }) : benchProfile(kind.kind).baseline(target, kind, target.url!, spec.parallelism),
  );
  const made = await makePlan(project, open, { prune: false });
  const planned = now();
  const text = renderPlanText(made, plainStyle);
  const ended = now();
  if (text.length === 0) throw new Error('empty plan output');
  return {
    wallMs: round(ended - started),
    stages: { loadValidate: round(loaded - started), observePlanPreflight: round(planned - loaded), render: round(ended - planned) },
    changes: made.changes.length,
    heapUsedMb: heapMb(),
  };
}

/** The plan of creating every product on an empty portal, made offline (the portal is known to be empty). */
function createPlan(project: ValidProject): Plan {
  const config = project.targets[0]!;
  const kind = getProviderKind(config.provider)!;
  return buildPlan({
    targets: [observation(config, kind, desiredOf(project, config.provider), [])],
    prune: false,
    tool,
    createdAt: new Date().toISOString(),
    configDigest: project.digest,
    diagnostics: [],
  });
}

function observation(config: TargetConfig, kind: ProviderKind, desired: DesiredObject[], live: LiveObject[]) {
  return {
    name: config.name,
    provider: kind.kind,
    identity: kind.identify(config),
    observedAt: new Date().toISOString(),
    desired,
    live,
    lockedWhilePublished: kind.lockedWhilePublished,
    unpublishConsequence: kind.unpublishConsequence,
    ignore: config.ignore,
    hiddenWhileDraft: kind.hiddenWhileDraft ?? [],
  };
}

/** A gate that never holds a request back: the fixed-concurrency baselines have no adaptive limit. */
class NoGate extends Traffic {
  override acquire(): Promise<Ticket> {
    return Promise.resolve({ epoch: 0, startedAt: 0 });
  }
  override release(): void {}
}

/** One try per read as well: the baselines do not back off anywhere. */
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

/** Creates every product of the project on an empty portal, with our executor or a fixed loop. */
async function apply(spec: Extract<ScenarioSpec, { kind: 'apply' }>): Promise<ScenarioResult> {
  const project = loadProject(spec.cwd, spec.productsDir);
  const made = createPlan(project);
  const config = project.targets[0]!;
  const endpoint = { url: config.url! };
  const started = now();
  if (spec.strategy === 'ours') {
    const provider = getProviderKind(config.provider)!.connect(config, endpoint);
    const report = await applyPlan(made, new Map([[config.name, provider]]), { concurrency: spec.concurrency, dryRun: false, allowDestructive: false });
    const ended = now();
    const failed = report.results.filter((result) => result.outcome === 'failed');
    const traffic = report.traffic?.[0];
    return {
      wallMs: round(ended - started),
      stages: {},
      changes: made.changes.length,
      applied: report.results.filter((result) => result.outcome === 'applied').length,
      failed: failed.length,
      failures: failed.slice(0, 3).map((result) => result.message ?? ''),
      ...(traffic ? { concurrency: traffic.concurrency } : {}),
      heapUsedMb: heapMb(),
    };
  }
  const options = { traffic: new NoGate(), retry: NO_RETRY };
  const provider = getProviderKind(config.provider)!.connect(config, endpoint, options);
  const { applied, failures } = await fixedLoop(made.changes, provider, spec.concurrency);
  const ended = now();
  return {
    wallMs: round(ended - started),
    stages: {},
    changes: made.changes.length,
    applied,
    failed: failures.length,
    failures: failures.slice(0, 3),
    heapUsedMb: heapMb(),
  };
}

/**
 * The local work of a plan of N products with no network: load (read, parse, schema), validate
 * (cross-file and provider rules), desired objects, diff + plan against live objects made from them
 * (every 1/share-th edited), render (text, markdown, JSON).
 */
async function pure(spec: Extract<ScenarioSpec, { kind: 'pure' }>): Promise<ScenarioResult> {
  const started = now();
  const project = loadProject(spec.cwd, spec.productsDir);
  const loaded = now();
  const config = project.targets[0]!;
  const kind = getProviderKind(config.provider)!;
  const desired = desiredOf(project, spec.provider);
  const mapped = now();
  // Not timed: what observe would have returned. Every (1/share)-th object differs by its description.
  const every = spec.changeShare > 0 ? Math.max(1, Math.round(1 / spec.changeShare)) : 0;
  const live: LiveObject[] = desired.map((object, index) => {
    const state = every && index % every === 0 ? { ...object.state, description: 'An older description.' } : object.state;
    return {
      key: object.key,
      owned: true,
      product: object.product,
      status: object.status,
      state,
      ...(object.attachments ? { attachments: object.attachments } : {}),
      lastApplied: fingerprint({ status: object.status, state }),
      ref: { id: `id-${object.key}`, name: object.key },
    };
  });
  const diffStarted = now();
  const made = buildPlan({
    targets: [observation(config, kind, desired, live)],
    prune: false,
    tool,
    createdAt: new Date().toISOString(),
    configDigest: project.digest,
    diagnostics: project.warnings,
  });
  const planned = now();
  const output = renderPlanText(made, plainStyle).length + renderPlanMarkdown(made).length + renderPlanJson(made).length;
  const ended = now();
  if (output === 0) throw new Error('empty plan output');
  // Apportions load + validate: the cross-file and provider rules alone, once more on what was validated.
  const validateStarted = now();
  checkProjectRules(project.config, project.products, getProviderKind);
  const validateMs = now() - validateStarted;
  const loadValidate = loaded - started;
  return {
    wallMs: round(loadValidate + (mapped - loaded) + (ended - diffStarted)),
    stages: {
      load: round(loadValidate - validateMs),
      validate: round(validateMs),
      desired: round(mapped - loaded),
      diffPlan: round(planned - diffStarted),
      render: round(ended - planned),
    },
    changes: made.changes.length,
    heapUsedMb: heapMb(),
  };
}

function heapMb(): number {
  return Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
}

export async function runSpec(spec: ScenarioSpec): Promise<ScenarioResult> {
  switch (spec.kind) {
    case 'plan':
      return plan(spec);
    case 'apply':
      return apply(spec);
    case 'pure':
      return pure(spec);
    case 'floor':
      return { wallMs: 0, stages: {}, changes: 0, heapUsedMb: heapMb() };
  }
}
