#!/usr/bin/env node
import { runCli } from './cli-main.ts';
import { processIo } from './commands/io.ts';
import { setFlagsFromString } from 'node:v8';

// V8 grows its old generation by up to 4× what survived the last full collection, and a run ends
// before the next one: a no-change plan of 100,000 products peaked anywhere from 800 MB to 1.09 GB
// of RSS with about 450 MB live. A factor of 2 kept it at 750–940 MB with the same wall time
// (bench/profile-scale.ts, docs/performance.md). V8 reads this flag at every full collection.
setFlagsFromString('--heap-growing-percent=100');

function interrupted(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

process.exitCode = await runCli(process.argv.slice(2), processIo(), { cwd: process.cwd(), until: interrupted });
