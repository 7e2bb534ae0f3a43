/**
 * One worker of test/run.ts: runs the test files it is sent, one at a time, and answers each with
 * its output and counts. Uses uvu's deferred mode (as `uvu` itself does): a file's `test.run()`
 * only queues its suite, which is run here and then forgotten.
 */
import { pathToFileURL } from 'node:url';

export interface FileResult {
  /** Everything the file's suites (and its tests) printed, as uvu prints it. */
  output: string;
  total: number;
  passed: number;
  skipped: number;
  failed: boolean;
}

/** What uvu's `test.run()` queues: a runner resolving to [errors or true, passed, skipped, total]. */
type Runner = () => Promise<[string | true, number, number, number]>;
const deferred = globalThis as unknown as { UVU_DEFER: number; UVU_INDEX: number; UVU_QUEUE: [string | null, ...Runner[]][] };
deferred.UVU_DEFER = 1;
await import('uvu');

/** The file's output is collected, not written: the runner prints each file whole. */
async function captured(run: (write: (text: string) => void) => Promise<Omit<FileResult, 'output'>>): Promise<FileResult> {
  let output = '';
  const write = (chunk: unknown): boolean => ((output += String(chunk)), true);
  const real = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = write as typeof process.stdout.write;
  process.stderr.write = write as typeof process.stderr.write;
  try {
    return { ...(await run((text) => write(text))), output };
  } finally {
    process.stdout.write = real.out;
    process.stderr.write = real.err;
  }
}

async function runFile(file: string): Promise<FileResult> {
  return captured(async (write) => {
    const counts = { total: 0, passed: 0, skipped: 0, failed: false };
    deferred.UVU_QUEUE.length = 0;
    deferred.UVU_QUEUE.push([null]);
    deferred.UVU_INDEX = 0;
    try {
      await import(pathToFileURL(file).href);
      const [, ...runners] = deferred.UVU_QUEUE[0]!;
      if (runners.length === 0) throw new Error('the file ran no suite: does it end with test.run()?');
      for (const runner of runners) {
        const [errors, passed, skipped, total] = await runner();
        Object.assign(counts, { total: counts.total + total, passed: counts.passed + passed, skipped: counts.skipped + skipped });
        if (errors !== true) {
          write('\n' + errors + '\n');
          counts.failed = true;
        }
      }
    } catch (error) {
      // A file that does not load (or a hook that throws outside a test) fails as one test.
      write(`\n  FAIL ${file}\n    ${error instanceof Error ? error.stack : String(error)}\n`);
      Object.assign(counts, { total: counts.total + 1, failed: true });
    }
    return counts;
  });
}

process.on('message', (message: { file?: string; exit?: boolean }) => {
  // Exit at once when done: a file that left a timer or a socket must not hold the run.
  if (message.exit || !message.file) process.exit(0);
  void runFile(message.file).then((result) => process.send!(result));
});
