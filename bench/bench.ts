/**
 * The benchmark: for each provider, side by side in one run,
 * 1. plan with no changes and with 10% changes at each size, ours against the peer-like baseline
 *    (baseline.ts), on the same emulator at the same latency;
 * 2. apply of N creates under a token bucket, our executor against fixed concurrency 1 and 10 with
 *    no backoff;
 * 3. the pure stages (load, validate, diff, plan, render) of N products with no network.
 * Every scenario checks its own outcome (the plan has the changes it must have, every create is on
 * the portal exactly once), so that a fast wrong answer is an error, not a figure.
 */
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { FaultOptions } from '../src/sandbox/fault-options.ts';
import { desiredOf, layout, loadProject, writeConfig, writeProject, type GeneratedProject } from './generate.ts';
import type { BenchOptions, ProviderName } from './options.ts';
import { countRequests, startPortal, type Portal, type RequestCounts } from './portal.ts';
import { prepareChildren, runScenario, type ChildMode } from './runner.ts';
import type { ApplyStrategy, PlanStrategy, ScenarioResult, ScenarioSpec } from './scenarios.ts';

export type PlanCase = 'no-change' | 'changes';

export interface PlanMeasure {
  provider: ProviderName;
  /** Products on the portal. */
  n: number;
  case: PlanCase;
  strategy: PlanStrategy;
  result: ScenarioResult;
  requests: RequestCounts;
  expectedChanges: number;
}

export interface ApplyMeasure {
  provider: ProviderName;
  /** `ours`, `fixed-1`, `fixed-10`. */
  strategy: string;
  creates: number;
  result: ScenarioResult;
  requests: RequestCounts;
  /** Owned products on the portal afterwards. */
  onPortal: number;
  /** Creates applied per second of wall time. */
  perSecond: number;
  /** perSecond / the token bucket's rate. */
  shareOfLimit: number;
}

export interface PureMeasure {
  provider: ProviderName;
  n: number;
  result: ScenarioResult;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
}

export interface BenchResult {
  date: string;
  machine: Machine;
  settings: {
    sizes: number[];
    latencyMs: number;
    flavour: string;
    changeShare: number;
    creates: number;
    ratePerSecond: number;
    burst: number;
    pureSize: number;
    baselineParallelism: number;
    applyConcurrency: number;
    baselines: boolean;
    inProcess: boolean;
    quick: boolean;
    /** How the scenario processes ran: compiled JavaScript, or under tsx (more RSS). */
    children: string;
  };
  plan: PlanMeasure[];
  apply: ApplyMeasure[];
  pure: PureMeasure[];
  /** Peak RSS of a child that only loads the modules, KiB: what every child costs before any work. */
  floorRssKb?: number;
  durationMs: number;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU',
    cores: list.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
}

const latencyOnly = (options: BenchOptions): FaultOptions => (options.latencyMs > 0 ? { latencyMs: options.latencyMs } : {});

/** A portal for `project`: its directory, and (when `plant`) the project's products as live now. */
async function portalFor(project: GeneratedProject, options: BenchOptions, plant: boolean): Promise<Portal> {
  const portal = await startPortal(project.provider, project, options);
  writeConfig(project.cwd, project.provider, portal.emulator.url, options, options.applyConcurrency);
  if (plant) portal.plant(desiredOf(loadProject(project.cwd, project.productsDir), project.provider));
  return portal;
}

let child: ChildMode = { kind: 'tsx' };

async function measure(spec: ScenarioSpec, name: string, options: BenchOptions): Promise<ScenarioResult> {
  return runScenario(spec, { inProcess: options.inProcess, child, cpuProfDir: options.cpuProfDir, name });
}

async function planPart(provider: ProviderName, n: number, options: BenchOptions, out: PlanMeasure[]): Promise<void> {
  const l = layout(provider, n, options.changeShare);
  const project = writeProject(l, { flavour: options.flavour });
  const portal = await portalFor(project, options, true);
  try {
    const cases: [PlanCase, string, number][] = [
      ['no-change', project.productsDir, 0],
      ['changes', project.changedDir, l.changedObjects],
    ];
    for (const [planCase, productsDir, expectedChanges] of cases) {
      for (const strategy of options.baselines ? (['ours', 'baseline'] as const) : (['ours'] as const)) {
        const name = `plan-${provider}-${n}-${planCase}-${strategy}`;
        options.log(`  ${name}`);
        portal.reset(latencyOnly(options));
        const spec: ScenarioSpec = { kind: 'plan', strategy, provider, cwd: project.cwd, productsDir, parallelism: options.baselineParallelism };
        const result = await measure(spec, name, options);
        const requests = countRequests(portal.emulator.requests);
        if (result.changes !== expectedChanges) {
          throw new Error(`${name}: the plan has ${result.changes} changes, expected ${expectedChanges}: the benchmark's portal is not what its products say`);
        }
        if (requests.writes > 0) throw new Error(`${name}: a plan wrote to the portal (${requests.writes} writes)`);
        out.push({ provider, n, case: planCase, strategy, result, requests, expectedChanges });
      }
    }
  } finally {
    await portal.close();
    project.remove();
  }
}

const APPLY_STRATEGIES: { label: string; strategy: ApplyStrategy; concurrency?: number }[] = [
  { label: 'ours', strategy: 'ours' },
  { label: 'fixed-1', strategy: 'fixed', concurrency: 1 },
  { label: 'fixed-10', strategy: 'fixed', concurrency: 10 },
];

async function applyPart(provider: ProviderName, options: BenchOptions, out: ApplyMeasure[]): Promise<void> {
  const l = layout(provider, options.creates, 0, false);
  const project = writeProject(l, { flavour: options.flavour, changes: false });
  const portal = await portalFor(project, options, false);
  const faults: FaultOptions = { ...latencyOnly(options), rateLimit: { perSecond: options.ratePerSecond, burst: options.burst } };
  try {
    for (const { label, strategy, concurrency } of APPLY_STRATEGIES.filter((s) => options.baselines || s.strategy === 'ours')) {
      const name = `apply-${provider}-${options.creates}-${label}`;
      options.log(`  ${name}`);
      portal.clearProducts();
      portal.reset(faults);
      const spec: ScenarioSpec = {
        kind: 'apply',
        strategy,
        provider,
        cwd: project.cwd,
        productsDir: project.productsDir,
        concurrency: concurrency ?? options.applyConcurrency,
      };
      const result = await measure(spec, name, options);
      const requests = countRequests(portal.emulator.requests);
      const onPortal = portal.ownedProducts();
      if (result.changes !== l.managedObjects) throw new Error(`${name}: the plan has ${result.changes} creates, expected ${l.managedObjects}`);
      if (onPortal !== result.applied) throw new Error(`${name}: ${result.applied} creates applied but ${onPortal} products on the portal`);
      const perSecond = (result.applied ?? 0) / (result.wallMs / 1000);
      out.push({ provider, strategy: label, creates: l.managedObjects, result, requests, onPortal, perSecond, shareOfLimit: perSecond / options.ratePerSecond });
    }
  } finally {
    await portal.close();
    project.remove();
  }
}

async function purePart(provider: ProviderName, options: BenchOptions, out: PureMeasure[]): Promise<void> {
  const l = layout(provider, options.pureSize, options.changeShare, false);
  const project = writeProject(l, { flavour: options.flavour });
  try {
    const name = `pure-${provider}-${options.pureSize}`;
    options.log(`  ${name}`);
    const spec: ScenarioSpec = { kind: 'pure', provider, cwd: project.cwd, productsDir: project.changedDir, changeShare: options.changeShare };
    const result = await measure(spec, name, options);
    out.push({ provider, n: options.pureSize, result });
  } finally {
    project.remove();
  }
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  if (!options.inProcess) {
    options.log('compiling the project for the scenario processes');
    child = options.childMode ?? prepareChildren();
    if (child.reason) options.log(`  running them under tsx instead: ${child.reason}`);
  }
  const result: BenchResult = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    settings: {
      sizes: options.sizes,
      latencyMs: options.latencyMs,
      flavour: options.flavour,
      changeShare: options.changeShare,
      creates: options.creates,
      ratePerSecond: options.ratePerSecond,
      burst: options.burst,
      pureSize: options.pureSize,
      baselineParallelism: options.baselineParallelism,
      applyConcurrency: options.applyConcurrency,
      baselines: options.baselines,
      inProcess: options.inProcess,
      quick: options.quick,
      children: options.inProcess ? 'none (in-process)' : child.kind === 'compiled' ? 'compiled JavaScript' : `tsx (${child.reason ?? 'asked for'})`,
    },
    plan: [],
    apply: [],
    pure: [],
    durationMs: 0,
  };
  if (!options.inProcess) result.floorRssKb = (await measure({ kind: 'floor' }, 'floor', options)).maxRssKb;
  for (const provider of options.providers) {
    if (options.parts.includes('plan')) {
      for (const n of options.sizes) {
        options.log(`plan: ${provider}, ${n} products, ${options.latencyMs} ms latency`);
        await planPart(provider, n, options, result.plan);
      }
    }
    if (options.parts.includes('apply')) {
      options.log(`apply: ${provider}, ${options.creates} creates, ${options.ratePerSecond} req/s bucket (burst ${options.burst}), ${options.latencyMs} ms latency`);
      await applyPart(provider, options, result.apply);
    }
    if (options.parts.includes('pure')) {
      options.log(`pure stages: ${provider}, ${options.pureSize} products`);
      await purePart(provider, options, result.pure);
    }
  }
  result.durationMs = Math.round(performance.now() - started);
  return result;
}
