// The worker thread of ./watchdog.ts: calls what it is asked to, one call at a time. Plain
// JavaScript because a worker thread does not inherit the main thread's `--import tsx`: it
// registers tsx itself, then imports the TypeScript modules it is sent.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
parentPort.on('message', async ({ id, module, name, args }) => {
  try {
    const fn = (await import(module))[name];
    parentPort.postMessage({ id, result: await fn(...args) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
