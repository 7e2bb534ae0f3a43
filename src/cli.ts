#!/usr/bin/env node
import { runCli } from './cli-main.ts';
import { processIo } from './commands/io.ts';
import { boundHeapGrowthOfLargeRuns } from './heap-growth.ts';

boundHeapGrowthOfLargeRuns();

function interrupted(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

process.exitCode = await runCli(process.argv.slice(2), processIo(), { cwd: process.cwd(), until: interrupted });
