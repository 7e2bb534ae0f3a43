/**
 * `npm run bench -- [options]` (bench/options.ts): runs the benchmark, prints the headline and
 * the targets, and writes bench/RESULTS.md. Not part of `npm test` (test/bench runs a smoke size).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runBench, type BenchResult } from './bench.ts';
import { parseBenchArgs, USAGE } from './options.ts';
import { renderResults, summaryLines } from './report.ts';

async function main(): Promise<number> {
  let options;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  // `--render FILE.json`: RESULTS.md again from the figures of an earlier run, without measuring.
  const result: BenchResult = options.render ? (JSON.parse(readFileSync(options.render, 'utf8')) as BenchResult) : await runBench(options);
  process.stdout.write(`${summaryLines(result).join('\n')}\n`);
  if (options.out) {
    writeFileSync(resolve(options.out), renderResults(result));
    const json = options.out.replace(/\.md$/i, '') + '.json';
    if (!options.render) writeFileSync(resolve(json), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\nWrote ${options.out}${options.render ? '' : ` and ${json}`}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
