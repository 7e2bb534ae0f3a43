/**
 * `npm test`'s runner: every test/**\/*.test.ts file, in worker processes (test/run-worker.ts, one
 * more than the cores, at least 3: many files wait on spawned CLIs and emulator sockets, so one
 * worker per core left a core idle; 57 s → 44–49 s on 2 cores) that each take the next file when
 * they finish one. Each file's output is
 * printed whole when the file is done, so that two files never interleave, and the run ends with
 * ONE summary in uvu's own format (`Total:`, `Passed:`, `Skipped:`, `Duration:`): .ci/run reads
 * those lines. Exit 1 when a test fails, a file does not load, or a worker dies or hangs.
 *
 * Usage: node --import tsx test/run.ts [pattern]   (pattern: a regular expression on the path)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileResult } from './run-worker.ts';

const root = dirname(fileURLToPath(import.meta.url));
/** A file that runs this long is hung (the slowest takes ~10 s): its worker is killed, the file fails. */
const HANG_MS = 5 * 60_000;

const pattern = new RegExp(process.argv[2] ?? '\\.test\\.ts$');
const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((path) => /\.test\.ts$/.test(path) && pattern.test(path))
  .map((path) => path.split('\\').join('/'))
  .sort();

// Like `uvu --color` (its default): colour unless NO_COLOR or FORCE_COLOR=0 says otherwise.
const colour = !('NO_COLOR' in process.env) && process.env.FORCE_COLOR !== '0';
const paint = (code: string, text: string): string => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);

// The document cache (src/load/document-cache.ts) of every test, its workers and the CLIs they
// spawn: in a directory of this run, removed at its end, never in the user's ~/.cache.
const cacheRoot = mkdtempSync(join(tmpdir(), 'apiproducts-test-cache-'));
process.env['APIPRODUCTS_CACHE_DIR'] = cacheRoot;
process.once('exit', () => rmSync(cacheRoot, { recursive: true, force: true }));

const started = process.hrtime.bigint();
const totals = { total: 0, passed: 0, skipped: 0, failedFiles: [] as string[] };
let printed = 0;

function report(file: string, result: FileResult, ms: number): void {
  // The file's own time, to see which files a faster suite has to start with.
  process.stdout.write((printed++ ? '\n' : '') + paint('1;4;37', file) + paint('2', ` ${(ms / 1000).toFixed(1)} s`) + '\n' + result.output);
  totals.total += result.total;
  totals.passed += result.passed;
  totals.skipped += result.skipped;
  if (result.failed) totals.failedFiles.push(file);
}

/** One worker: runs files from the shared queue until it is empty; a new worker replaces a dead one. */
function work(queue: string[]): Promise<void> {
  return new Promise((done) => {
    const child: ChildProcess = fork(join(root, 'run-worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, FORCE_COLOR: colour ? '1' : '0' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let current: string | undefined;
    let guard: NodeJS.Timeout | undefined;
    let since = 0;
    const next = (): void => {
      clearTimeout(guard);
      current = queue.shift();
      if (current === undefined) return void child.send({ exit: true });
      guard = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
      since = performance.now();
      child.send({ file: join(root, current) });
    };
    child.on('message', (result: FileResult) => {
      if (current !== undefined) report(current, result, performance.now() - since);
      next();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (current === undefined) return done();
      const why = signal === 'SIGKILL' ? `hung for more than ${HANG_MS / 1000} s` : `its worker exited (${signal ?? code}) before the file finished`;
      report(current, { output: `\n  ${paint('1;41', ' FAIL ')} ${current}: ${why}\n`, total: 1, passed: 0, skipped: 0, failed: true }, performance.now() - since);
      void work(queue).then(done);
    });
    next();
  });
}

const queue = [...files];
const workers = Math.max(3, availableParallelism() + 1);
await Promise.all(Array.from({ length: Math.min(workers, files.length) }, () => work(queue)));

const failed = totals.failedFiles.length > 0 || files.length === 0;
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write('\n  Total:     ' + totals.total);
process.stdout.write(paint(failed ? '31' : '32', '\n  Passed:    ' + totals.passed));
process.stdout.write('\n  Skipped:   ' + (totals.skipped ? paint('33', String(totals.skipped)) : totals.skipped));
process.stdout.write('\n  Duration:  ' + ms.toFixed(2) + 'ms\n\n');
if (totals.failedFiles.length) process.stdout.write(`  Failed in: ${totals.failedFiles.join(', ')}\n\n`);
if (files.length === 0) process.stdout.write(`  No test file matches ${pattern}\n\n`);
process.exitCode = failed ? 1 : 0;
