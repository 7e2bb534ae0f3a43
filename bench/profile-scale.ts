/**
 * Where a large no-change plan's time goes, on both sides of the wire: one generated project of N
 * products served by the bench's emulator in this process (with latency), the built CLI run as a
 * whole process under /usr/bin/time (wall, CPU, peak RSS), and how busy this process's event
 * loop was meanwhile (the emulator's share of the wall time: list handlers, JSON of pages, GC).
 * `--cpu-prof DIR` writes a V8 CPU profile of the CLI there, `--emulator-prof DIR` one of this
 * process while the plan runs (the emulator side), for the first run; `--node-flags '…'` passes
 * flags to the CLI's node (heap limits, `--trace-gc`).
 *
 *   npm run build && node --import tsx bench/profile-scale.ts --provider apigee --n 100000 --runs 1 [--cpu-prof DIR] [--emulator-prof DIR] [--node-flags=--trace-gc]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/commands/tool-info.ts';
import { desiredOf, layout, loadProject, writeConfig, writeProject, type GeneratedProject } from './generate.ts';
import type { ProviderName } from './options.ts';
import { countRequests, startPortal } from './portal.ts';
import { cliOf, nodeFlagsOf, runNode } from './process-run.ts';
import { BENCH_PROFILES } from './vendors/index.ts';

const { values } = parseArgs({
  options: {
    provider: { type: 'string', default: 'apigee' },
    n: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '1' },
    latency: { type: 'string', default: '50' },
    'cpu-prof': { type: 'string' },
    'emulator-prof': { type: 'string' },
    /** Flags for the CLI's node, e.g. `--max-old-space-size=700` or `--trace-gc`, to see what its heap needs. */
    'node-flags': { type: 'string', default: '' },
  },
});
const provider = values.provider as ProviderName;
const n = Number(values.n);
const latencyMs = Number(values.latency);
const env = Object.fromEntries(BENCH_PROFILES.map((p) => [p.tokenEnv, p.token]));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

const setupStarted = performance.now();
const planLayout = layout(provider, n, 0);
const project = writeProject(planLayout, { flavour: 'x', changes: false });
const portal = await startPortal(provider, planLayout, { flavour: 'x' });
try {
  writeConfig(project.cwd, provider, portal.emulator.url, { flavour: 'x' });
  portal.plant(desiredOf(loadProject(project.cwd, project.productsDir), provider));
  console.log(`${provider}, N = ${n}, ${latencyMs} ms latency: set up in ${Math.round(performance.now() - setupStarted)} ms, heap ${mb(process.memoryUsage().heapUsed)} MB`);
  for (let run = 0; run < Number(values.runs); run++) {
    portal.reset(latencyMs > 0 ? { latencyMs } : {});
    const profiling = run === 0 && values['emulator-prof'] !== undefined ? await startProfile() : undefined;
    const busyBefore = performance.eventLoopUtilization();
    const loadBefore = load();
    const result = await runPlan(project, run === 0 ? values['cpu-prof'] : undefined);
    if (values['node-flags']) process.stdout.write(result.stdout);
    const busy = performance.eventLoopUtilization(busyBefore);
    if (profiling) await profiling.stop(values['emulator-prof']!);
    const counts = countRequests(portal.emulator.requests);
    console.log(
      `run ${run + 1}: exit ${result.code}, wall ${Math.round(result.wallMs)} ms, CLI CPU ${result.cpuMs === undefined ? '–' : Math.round(result.cpuMs)} ms, CLI peak RSS ${result.maxRssMb === undefined ? '–' : Math.round(result.maxRssMb)} MB, ` +
        `${counts.total} requests (${counts.productLists} list pages); emulator event loop busy ${Math.round(busy.active)} ms ` +
        `(${(busy.utilization * 100).toFixed(0)} %), heap ${mb(process.memoryUsage().heapUsed)} MB; load ${loadBefore} → ${load()}`,
    );
    if (run === 0) console.log(`  by endpoint: ${JSON.stringify(counts.byEndpoint)}`);
  }
} finally {
  await portal.close();
  project.remove();
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

/** The inspector's CPU profiler on this process (the emulators), until stop() writes it to DIR. */
async function startProfile(): Promise<{ stop(dir: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(dir) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      const file = join(resolve(dir), `emulator-${provider}-${n}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`emulator profile: ${file}`);
    },
  };
}

/** `apiproducts plan` of the built CLI in this checkout, optionally under --cpu-prof and `--node-flags`. */
function runPlan(project: GeneratedProject, profileDir: string | undefined) {
  const profiling = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : []), ...nodeFlagsOf(values['node-flags']!)];
  return runNode(cliOf(packageRoot), ['plan', '--chdir', project.cwd], { ...env, APIPRODUCTS_CACHE_DIR: project.documentCache }, profiling);
}
