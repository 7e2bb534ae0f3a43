import type { DriftReport } from '../plan/drift.ts';
import { driftMarkdownSections, driftSummary, renderDriftMarkdown } from '../render/drift.ts';
import { escapeMarkdown } from '../render/markdown-escape.ts';
import { characters, COMMENT_LIMIT, fitChunks, markerName, runLink } from './fit.ts';

/** The hidden first line of the drift issue of one target. */
export function driftMarker(target: string): string {
  return `<!-- apiproducts:drift target=${markerName(target)} -->`;
}

export function driftTitle(target: string): string {
  return `Drift detected: ${target}`;
}

export interface DriftFacts {
  tool: { name: string; version: string };
  runUrl?: string;
  limit?: number;
}

/** The report narrowed to one target: its items only. */
export function driftForTarget(report: DriftReport, target: string): DriftReport {
  return { ...report, targets: report.targets.filter((t) => t.name === target), items: report.items.filter((i) => i.target === target) };
}

/** The issue body for one target with drift: the report's verdict and tables, what to do, when it was checked. */
export function buildDriftIssueBody(report: DriftReport, target: string, facts: DriftFacts): string {
  const limit = facts.limit ?? COMMENT_LIMIT;
  const name = escapeMarkdown(target);
  const head = `${driftMarker(target)}\n`;
  const advice = [
    '',
    `**What to do.** To make the portal match Git again, apply: ${applyCommand(target)} (or merge a pull request). To keep an edit made in the dashboard, change the product YAML in Git to match.`,
    "Fields that are managed outside Git on purpose can be listed under the target's `ignore:` in apiproducts.yaml.",
    '',
    footer(facts, report.createdAt, `this issue is updated by every drift run and closed when ${name} matches Git`),
    '',
  ].join('\n');
  const mine = driftForTarget(report, target);
  const whole = renderDriftMarkdown(mine) + '\n';
  const budget = limit - head.length - advice.length;
  if (characters(whole) <= budget) return head + whole + advice;
  // Too long: every kind keeps its heading and a fair share of the room, in order, a section's
  // unused share passing on to the next, so the missing and orphaned products (listed last) are
  // never cut away whole by a long list of changed fields.
  const where = `the summary of the ${runLink(facts.runUrl) ?? 'workflow run'}`;
  const sections = driftMarkdownSections(mine);
  let text = `**${driftSummary(mine)}**\n\n`;
  sections.forEach((section, index) => {
    const share = Math.floor((budget - characters(text)) / (sections.length - index));
    const sectionHead = section.head.map((line) => line + '\n').join('');
    const rows = fitChunks(section.rows.map((line) => line + '\n'), share - characters(sectionHead) - 1, characters, (n) =>
      n ? `\n… ${n} more row${n === 1 ? '' : 's'} of this table did not fit in an issue: they are in ${where}.\n` : '',
    );
    text += sectionHead + rows.text + '\n';
  });
  return head + text + advice;
}

/** The comment left on the issue when the target has no drift any more, just before it is closed. */
export function buildDriftResolvedComment(report: DriftReport, target: string, facts: DriftFacts): string {
  return `✅ **No drift on ${escapeMarkdown(target)}** any more: every product matches Git. Closing.\n\n${footer(facts, report.createdAt)}\n`;
}

/** Target names are `[A-Za-z0-9._-]` (schema): safe in a code span as they are; anything else is escaped text. */
function applyCommand(target: string): string {
  return /^[A-Za-z0-9._-]+$/.test(target) ? `\`apiproducts apply --target ${target}\`` : `apiproducts apply --target ${escapeMarkdown(target)}`;
}

function footer(facts: DriftFacts, checkedAt: string, extra?: string): string {
  const parts = [`${escapeMarkdown(facts.tool.name)} ${escapeMarkdown(facts.tool.version)}`, `checked at ${escapeMarkdown(checkedAt)}`];
  const link = runLink(facts.runUrl);
  if (link) parts.push(link);
  if (extra) parts.push(extra);
  return `<sub>${parts.join(' · ')}</sub>`;
}
