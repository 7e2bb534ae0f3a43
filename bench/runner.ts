/**
 * Runs a scenario in a child process, so that its peak RSS is its own while the emulators stay in
 * this process; or here with --in-process (the smoke test: no RSS per scenario).
 *
 * Children run the project compiled to plain JavaScript, as users run it (`dist/src/cli.js`): under
 * tsx a process holds ~30 MB more (the loader and its transforms), which is not apiproducts' memory.
 * prepareChildren() compiles src/ and bench/ with the project's tsc into .apiproducts/bench-build
 * (git-ignored) once per run; when that fails, children run under tsx and the report says so.
 */
import { spawnSync, fork } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../src/commands/tool-info.ts';
import { runSpec, type ScenarioResult, type ScenarioSpec } from './scenarios.ts';

const TS_CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const BUILD_DIR = join(packageRoot, '.apiproducts', 'bench-build');

/** How children are started: compiled JavaScript (`node child.js`) or TypeScript under tsx. */
export interface ChildMode {
  kind: 'compiled' | 'tsx';
  /** Why not compiled, when tsx. */
  reason?: string;
}

/** Compiles the project for the children; falls back to tsx (with the reason) when that fails. */
export function prepareChildren(): ChildMode {
  const tsc = join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const built = spawnSync(process.execPath, [tsc, '-p', join(packageRoot, 'tsconfig.json'), '--outDir', BUILD_DIR, '--sourceMap', 'false'], {
    cwd: packageRoot,
    encoding: 'utf8',
  });
  // tsc emits despite type errors elsewhere in the tree; what matters is that the child is there.
  if (!existsSync(join(BUILD_DIR, 'bench', 'child.js'))) {
    return { kind: 'tsx', reason: `tsc did not build bench/child.js (${(built.stdout + built.stderr).trim().split('\n')[0] ?? built.status})` };
  }
  // src/validate/schema.ts finds schemas/ two levels above its own directory.
  cpSync(join(packageRoot, 'schemas'), join(BUILD_DIR, 'schemas'), { recursive: true });
  return { kind: 'compiled' };
}

export interface RunOptions {
  inProcess: boolean;
  child: ChildMode;
  /** Write a V8 CPU profile of the child here, named after `name`. */
  cpuProfDir?: string | undefined;
  name: string;
}

type Answer = { ok: true; result: ScenarioResult } | { ok: false; error: string };

export async function runScenario(spec: ScenarioSpec, options: RunOptions): Promise<ScenarioResult> {
  if (options.inProcess) {
    const result = await runSpec(spec);
    delete result.maxRssKb;
    return result;
  }
  const compiled = options.child.kind === 'compiled';
  const execArgv = compiled ? [] : ['--import', 'tsx'];
  if (options.cpuProfDir) {
    const dir = resolve(options.cpuProfDir);
    mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${options.name.replace(/[^a-z0-9.-]+/gi, '_')}.cpuprofile`);
  }
  const child = fork(compiled ? join(BUILD_DIR, 'bench', 'child.js') : TS_CHILD, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const answer = await new Promise<Answer>((resolveAnswer, reject) => {
    let answered: Answer | undefined;
    child.once('message', (message) => (answered = message as Answer));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (answered) resolveAnswer(answered);
      else reject(new Error(`scenario ${options.name}: the child exited (${signal ?? code}) without an answer`));
    });
    child.send(spec);
  });
  if (!answer.ok) throw new Error(`scenario ${options.name} failed in its child process:\n${answer.error}`);
  return answer.result;
}
