/**
 * One scenario in a process of its own, so that its peak RSS is its own: started by runner.ts
 * over IPC, runs the spec it is sent, answers with the result and its maxRSS, and exits.
 */
import { runSpec, type ScenarioSpec } from './scenarios.ts';

process.once('message', (spec: ScenarioSpec) => {
  runSpec(spec).then(
    (result) => {
      // resourceUsage().maxRSS is in KiB: the most this process ever held resident.
      process.send!({ ok: true, result: { ...result, maxRssKb: process.resourceUsage().maxRSS } }, () => process.exit(0));
    },
    (error: unknown) => {
      process.send!({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1));
    },
  );
});
