import { Worker } from 'node:worker_threads';

/**
 * A hang guard for work that once took minutes on hostile input (catastrophic regex backtracking,
 * quadratic alias expansion): the work runs in a worker thread, and a call still running after
 * HANG_MS is ended (a synchronous loop too: terminate() interrupts it) and fails. Not a time
 * budget: a loaded machine is seconds slower, a regression is minutes slower.
 */
export const HANG_MS = 60_000;

const workerFile = new URL('./watchdog-worker.mjs', import.meta.url);
let worker: Worker | undefined;
let nextId = 0;

/** `module`'s export `name`, called in the guard's worker thread with structured-cloneable arguments and result. */
export function guarded<A extends unknown[], R>(module: URL, name: string): (...args: A) => Promise<R> {
  return (...args) =>
    new Promise<R>((resolve, reject) => {
      worker ??= new Worker(workerFile);
      worker.unref(); // an idle guard must not keep the test process alive
      const current = worker;
      const id = nextId++;
      const end = (error?: Error): void => {
        clearTimeout(timer);
        current.off('message', answer).off('error', failed);
        if (error && worker === current) {
          worker = undefined;
          void current.terminate();
        }
      };
      const timer = setTimeout(() => {
        end(new Error('hung'));
        reject(new Error(`${name}(…) was still running after ${HANG_MS / 1000} s: it hangs`));
      }, HANG_MS);
      const answer = (message: { id: number; result?: R; error?: string }): void => {
        if (message.id !== id) return;
        end();
        if (message.error !== undefined) reject(new Error(message.error));
        else resolve(message.result as R);
      };
      const failed = (error: Error): void => {
        end(error);
        reject(error);
      };
      current.on('message', answer).on('error', failed);
      current.postMessage({ id, module: module.href, name, args });
    });
}
