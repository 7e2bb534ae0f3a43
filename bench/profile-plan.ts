/**
 * Where a no-change plan's wall time goes: one generated project of N products served by the
 * bench's emulator (in this process, with latency), the built CLI run as a whole process, and a
 * timeline of every answer relative to the spawn, so what runs before the first request and after
 * the last page shows. With `--cpu-prof DIR` the CLI writes a V8 CPU profile there.
 *
 *   npm run build && node --import tsx bench/profile-plan.ts --provider apigee --n 10000 --runs 3 [--cpu-prof DIR]
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { desiredOf, layout, loadProject, writeConfig, writeProject } from './generate.ts';
import { startPortal } from './portal.ts';
import { answerTimes } from './process-run.ts';
import { spawn } from 'node:child_process';
import { BENCH_PROFILES } from './vendors/index.ts';
import type { ProviderName } from './options.ts';

const { values } = parseArgs({
  options: {
    provider: { type: 'string', default: 'apigee' },
    n: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
    latency: { type: 'string', default: '50' },
    'cpu-prof': { type: 'string' },
  },
});
const provider = values.provider as ProviderName;
const n = Number(values.n);
const latencyMs = Number(values.latency);
const env = Object.fromEntries(BENCH_PROFILES.map((p) => [p.tokenEnv, p.token]));

const planLayout = layout(provider, n, 0);
const project = writeProject(planLayout, { flavour: 'x', changes: false });
const portal = await startPortal(provider, planLayout, { flavour: 'x' });
try {
  writeConfig(project.cwd, provider, portal.emulator.url, { flavour: 'x' });
  portal.plant(desiredOf(loadProject(project.cwd, project.productsDir), provider));
  const answered = answerTimes(portal.emulator.requests);
  for (let run = 0; run < Number(values.runs); run++) {
    portal.reset(latencyMs > 0 ? { latencyMs } : {});
    answered.length = 0;
    const started = performance.now();
    const result = await runPlan(project.cwd, env, values['cpu-prof']);
    const rel = answered.map((t) => Math.round(t - started));
    const requests = portal.emulator.requests.map((r, i) => `${rel[i]}ms ${r.method} ${r.path.slice(0, 60)}`);
    console.log(`run ${run + 1}: wall ${Math.round(result.wallMs)} ms, exit ${result.code}, ${requests.length} requests`);
    console.log(`  first answer ${rel[0]} ms, last answer ${rel.at(-1)} ms, after last answer ${Math.round(result.wallMs - (rel.at(-1) ?? 0))} ms`);
    if (run === 0) for (const line of requests) console.log(`  ${line}`);
  }
} finally {
  await portal.close();
  project.remove();
}

/** `apiproducts plan` of the built CLI in this checkout, optionally under --cpu-prof (not allowed in NODE_OPTIONS). */
function runPlan(cwd: string, env: Record<string, string>, profileDir: string | undefined): Promise<{ wallMs: number; code: number }> {
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const started = performance.now();
  const child = spawn(process.execPath, [...profiling, 'dist/src/cli.js', 'plan', '--chdir', cwd], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ wallMs: performance.now() - started, code: code ?? -1 }));
  });
}
