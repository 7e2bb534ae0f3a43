import { escapeText } from '../model/display.ts';
import type { ApplyReport, ChangeOutcome, ChangeResult, TargetTraffic } from '../model/plan.ts';
import type { Style } from './style.ts';

const LABEL: Record<ChangeOutcome, string> = { applied: 'applied', failed: 'FAILED', skipped: 'skipped', 'would-apply': 'would apply' };

/** One progress line per finished change, printed as apply goes. */
export function renderProgressLine(result: ChangeResult, style: Style): string {
  const colour = result.outcome === 'applied' || result.outcome === 'would-apply' ? style.green : result.outcome === 'failed' ? style.red : style.yellow;
  const waited = result.waitMs ? `, waited ${seconds(result.waitMs)}` : '';
  const timing = result.attempts > 0 ? style.dim(` (${result.durationMs} ms${result.attempts > 1 ? `, ${result.attempts} attempts` : ''}${waited})`) : '';
  // The message may quote a server's error body.
  const detail = result.message && result.outcome !== 'applied' ? `: ${escapeText(result.message)}` : '';
  const confirmed = result.confirmedAfterLostAnswer ? ' (confirmed after a lost answer)' : '';
  return `${colour(LABEL[result.outcome].padEnd(11))} ${result.action} ${escapeText(`${result.target}/${result.key}`)}${confirmed}${timing}${detail}`;
}

export function countOutcomes(report: ApplyReport): Record<ChangeOutcome, number> {
  const counts: Record<ChangeOutcome, number> = { applied: 0, failed: 0, skipped: 0, 'would-apply': 0 };
  for (const result of report.results) counts[result.outcome] += 1;
  return counts;
}

/** The closing report: totals, then every failure and skip again so none scrolls out of sight. */
export function renderReportText(report: ApplyReport, style: Style): string {
  const counts = countOutcomes(report);
  const out: string[] = [];
  const problems = report.results.filter((r) => r.outcome === 'failed' || r.outcome === 'skipped');
  if (problems.length) {
    out.push('', style.bold('Not applied:'));
    for (const result of problems) out.push('  ' + renderProgressLine(result, style));
  }
  out.push('');
  if (report.dryRun) {
    out.push(style.bold(`Dry run complete: ${counts['would-apply']} would apply, ${counts.skipped} would be skipped. Nothing was changed.`));
  } else {
    const verdict = counts.failed + counts.skipped === 0 ? style.green('Apply complete!') : style.yellow('Apply incomplete.');
    out.push(`${verdict} ${counts.applied} applied, ${counts.failed} failed, ${counts.skipped} skipped.`);
  }
  for (const traffic of report.traffic ?? []) {
    const line = renderTrafficLine(traffic);
    if (line) out.push(style.dim(line));
  }
  return out.join('\n') + '\n';
}

/** `api7-prod: 312 requests, 14 retries (9 rate-limited), waited 6.2 s; …`, only when the target made the run retry. */
export function renderTrafficLine(traffic: TargetTraffic): string | undefined {
  if (traffic.retries === 0 && traffic.rateLimited === 0) return undefined;
  const limited = traffic.rateLimited ? ` (${traffic.rateLimited} answered 429)` : '';
  const { configured, lowest } = traffic.concurrency;
  const adapted = lowest < configured ? `; writes in flight lowered from ${configured} to ${lowest} after 429s, then recovering` : '';
  const paced = traffic.pacedPerSecond === undefined ? '' : `; requests paced to ${traffic.pacedPerSecond}/s at the end`;
  return `${escapeText(traffic.target)}: ${traffic.requests} requests, ${traffic.retries} retr${traffic.retries === 1 ? 'y' : 'ies'}${limited}, waited ${seconds(traffic.waitMs)} in total across requests${adapted}${paced}.`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
