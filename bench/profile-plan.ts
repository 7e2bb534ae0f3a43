/**
 * Where a no-change plan stands against its network floor, build against build: one generated
 * project of N products served by the bench's emulator (in this process, with latency), each
 * build's CLI run as a whole process, alternately, so that the load of a shared machine falls on
 * every build alike. Per build, medians (min–max) of: wall time, the first answer, the last
 * answer and what runs after it, and the spread of the answers (last − first), which is where a
 * sequential pager (Apigee's startKey) spends its time; the gap between one list page's answer and
 * the next one's (every gap of every run), which a sequential pager pays once per page; and the CPU
 * this process spent per answer while the CLI ran, which is the emulator's (the bench does nothing
 * else meanwhile but wait for the child): on a shared machine it says what the emulator cost
 * apart from how long the machine let it wait. `--answers` lists every answer of the first run,
 * from the spawn; `--cpu-prof DIR` writes a V8 CPU profile of the first build's run `--profile-run K`
 * there (default 1: the first, which reads no document cache; a later run finds the first one's).
 *
 *   npm run build && node --import tsx bench/profile-plan.ts --provider apigee --n 10000 --runs 7 [--compare DIR]... [--answers] [--cpu-prof DIR [--profile-run K]] [--cache warm|cold|off]...
 *
 * `--cache`: how each build's runs meet the document cache (src/load/document-cache.ts), one row
 * per build and mode, alternately: `warm` (default) as the runs before left it, `cold` removed
 * before each run, `off` with `--no-cache` (for a build that has the flag).
 * `--node-flags=FLAGS` (repeatable): each build runs once per value, with these flags to its node
 * (`--node-flags= --node-flags=--max-semi-space-size=32`: without and with).
 * `--compare DIR`: another directory holding a built apiproducts (`dist/src/cli.js`, its
 * `node_modules` and `schemas`).
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/commands/tool-info.ts';
import { desiredOf, layout, loadProject, writeConfig, writeProject } from './generate.ts';
import { endpointOf, startPortal } from './portal.ts';
import { cliOf, nodeFlagsOf, runNode, spread, type Spread } from './process-run.ts';
import { BENCH_PROFILES, benchProfile } from './vendors/index.ts';
import type { ProviderName } from './options.ts';

const { values } = parseArgs({
  options: {
    provider: { type: 'string', default: 'apigee' },
    n: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '7' },
    latency: { type: 'string', default: '50' },
    compare: { type: 'string', multiple: true, default: [] },
    answers: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'profile-run': { type: 'string', default: '1' },
    cache: { type: 'string', multiple: true, default: ['warm'] },
    'node-flags': { type: 'string', multiple: true, default: [''] },
  },
});
const provider = values.provider as ProviderName;
const latencyMs = Number(values.latency);
const modes = values.cache as ('warm' | 'cold' | 'off')[];
const flagSets = values['node-flags']!.map(nodeFlagsOf);
const builds = [packageRoot, ...(values.compare ?? [])].flatMap((root) =>
  modes.flatMap((cache) => flagSets.map((nodeFlags) => ({ root, cache, nodeFlags }))),
);
const env = Object.fromEntries(BENCH_PROFILES.map((p) => [p.tokenEnv, p.token]));

interface Timeline {
  wall: number;
  cpu: number;
  first: number;
  last: number;
  /** Between consecutive answers to the product list. */
  pageGaps: number[];
  /** This process's user + system CPU during the run, per answer. */
  emulatorCpuPerAnswer: number;
}

const productList = benchProfile(provider).productList;

const planLayout = layout(provider, Number(values.n), 0);
const project = writeProject(planLayout, { flavour: 'x', changes: false });
const portal = await startPortal(provider, planLayout, { flavour: 'x' });
const timelines = builds.map((): Timeline[] => []);
try {
  writeConfig(project.cwd, provider, portal.emulator.url, { flavour: 'x' });
  portal.plant(desiredOf(loadProject(project.cwd, project.productsDir), provider));
  for (let run = 0; run < Number(values.runs); run++) {
    for (const [index, build] of builds.entries()) {
      portal.reset(latencyMs > 0 ? { latencyMs } : {});
      const answered: number[] = [];
      const log = portal.emulator.requests;
      const push = log.push.bind(log);
      log.push = (...items: never[]) => {
        for (const _ of items) answered.push(performance.now());
        return push(...items);
      };
      const started = performance.now();
      const profiled = run === Number(values['profile-run']) - 1 && index === 0;
      const profileDir = profiled ? values['cpu-prof'] : undefined;
      const profiling = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...build.nodeFlags];
      const emulatorCpuBefore = process.cpuUsage();
      if (build.cache === 'cold') rmSync(project.documentCache, { recursive: true, force: true });
      const args = ['plan', '--chdir', project.cwd, ...(build.cache === 'off' ? ['--no-cache'] : [])];
      const { wallMs: wall, cpuMs: cpu } = await runNode(cliOf(build.root), args, { ...env, APIPRODUCTS_CACHE_DIR: project.documentCache }, profiling);
      const emulatorCpu = process.cpuUsage(emulatorCpuBefore);
      log.push = push;
      const pages = answered.filter((_, i) => endpointOf(log[i]!.method, log[i]!.path) === productList);
      timelines[index]!.push({
        wall,
        cpu: cpu ?? Number.NaN,
        first: answered[0]! - started,
        last: answered.at(-1)! - started,
        pageGaps: pages.slice(1).map((at, i) => at - pages[i]!),
        emulatorCpuPerAnswer: (emulatorCpu.user + emulatorCpu.system) / 1000 / answered.length,
      });
      if (run === 0 && index === 0 && values.answers) {
        log.forEach((request, i) => console.log(`  ${Math.round(answered[i]! - started)} ms ${request.method} ${request.path.slice(0, 60)}`));
      }
    }
  }
} finally {
  await portal.close();
  project.remove();
}

const show = (s: Spread, digits = 0): string => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
console.log(`${provider}, N = ${values.n}, ${latencyMs} ms latency, ${values.runs} runs; ms, median (min–max); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| build | wall | CPU | first answer | last answer | after last answer | last − first | list page gap (all runs) | emulator CPU per answer |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [index, build] of builds.entries()) {
  const runs = timelines[index]!;
  const column = (of: (t: Timeline) => number): string => show(spread(runs.map(of)));
  const gaps = show(spread(runs.flatMap((t) => t.pageGaps)));
  const emulatorCpu = show(spread(runs.map((t) => t.emulatorCpuPerAnswer)), 1);
  console.log(`| ${build.root}${modes.length > 1 ? ` (cache ${build.cache})` : ''}${build.nodeFlags.length > 0 ? ` (${build.nodeFlags.join(' ')})` : ''} | ${column((t) => t.wall)} | ${column((t) => t.cpu)} | ${column((t) => t.first)} | ${column((t) => t.last)} | ${column((t) => t.wall - t.last)} | ${column((t) => t.last - t.first)} | ${gaps} | ${emulatorCpu} |`);
}
