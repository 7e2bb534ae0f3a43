#!/usr/bin/env node
import { runCli } from './cli-main.ts';
import { processIo } from './commands/io.ts';
import { setFlagsFromString } from 'node:v8';

// V8 grows its old generation by up to 4× what survived the last full collection, and a run ends
// before the next one: a no-change plan of 100,000 products peaked anywhere from 790 MB to 1.09 GB
// of RSS with about 450 MB live. A factor of 2 kept it at 750–940 MB with the same wall time
// (bench/profile-scale.ts, docs/performance.md). V8 reads this flag each time it sets the next
// limit (MemoryController::GrowingFactor, src/heap/heap-controller.cc), so setting it here works;
// it replaces every growth mode's factor, the 1.1 of a heap near its limit too, which the heap
// limit still caps.
setFlagsFromString('--heap-growing-percent=100');

function interrupted(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

process.exitCode = await runCli(process.argv.slice(2), processIo(), { cwd: process.cwd(), until: interrupted });
