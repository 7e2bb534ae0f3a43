import type { DriftItem, DriftKind, DriftReport } from '../plan/drift.ts';
import { escapeMarkdown, markdownValue } from './markdown-escape.ts';
import { escapeText, formatValue } from '../model/display.ts';
import type { Style } from './style.ts';

const HEADING: Record<DriftKind, string> = {
  'changed-outside-git': 'Changed outside Git (live was edited since apiproducts last wrote it)',
  'not-yet-applied': 'Not yet applied (Git differs from live)',
  missing: 'In Git, missing on the target',
  orphaned: 'Orphaned (managed by apiproducts, no longer in Git)',
};
const KINDS = Object.keys(HEADING) as DriftKind[];

export function renderDriftJson(report: DriftReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

export function renderDriftText(report: DriftReport, style: Style): string {
  if (report.items.length === 0) return style.green('No drift.') + ' Every target matches Git.\n';
  const out: string[] = [];
  for (const kind of KINDS) {
    const items = report.items.filter((item) => item.kind === kind);
    if (items.length === 0) continue;
    out.push(style.bold(`${HEADING[kind]}:`));
    for (const item of items) {
      out.push(`  ${kind === 'changed-outside-git' ? style.red('!') : style.yellow('~')} ${escapeText(`${item.target}/${item.key}`)}`);
      for (const field of item.fields) out.push(`      ${escapeText(field.path)}: live ${formatValue(field.live)}, Git ${formatValue(field.desired)}`);
    }
    out.push('');
  }
  out.push(style.bold(driftSummary(report)));
  return out.join('\n') + '\n';
}

/** For the scheduled drift issue: a verdict, then one table per kind, every value escaped. */
export function renderDriftMarkdown(report: DriftReport): string {
  if (report.items.length === 0) return '**No drift.** Every target matches Git.\n';
  const out = [`**${driftSummary(report)}**`, ''];
  for (const section of driftMarkdownSections(report)) out.push(...section.head, ...section.rows, '');
  return out.join('\n');
}

/** One section per kind with drift: its heading and table head, then one row per field. */
export function driftMarkdownSections(report: DriftReport): { head: string[]; rows: string[] }[] {
  return KINDS.flatMap((kind) => {
    const items = report.items.filter((item) => item.kind === kind);
    if (items.length === 0) return [];
    return [{ head: [`### ${HEADING[kind]}`, '', '| target | product | field | live | Git |', '|---|---|---|---|---|'], rows: items.flatMap(markdownRows) }];
  });
}

function markdownRows(item: DriftItem): string[] {
  const fields = item.fields.length ? item.fields : [{ path: '', live: undefined, desired: undefined }];
  return fields.map(
    (field) =>
      `| ${escapeMarkdown(item.target)} | ${escapeMarkdown(item.key)} | ${field.path ? escapeMarkdown(field.path) : ''} | ${field.path ? markdownValue(field.live) : ''} | ${field.path ? markdownValue(field.desired) : ''} |`,
  );
}

export function driftSummary(report: DriftReport): string {
  const count = (kind: DriftKind) => report.items.filter((item) => item.kind === kind).length;
  return `Drift: ${count('changed-outside-git')} changed outside Git, ${count('not-yet-applied')} not yet applied, ${count('missing')} missing, ${count('orphaned')} orphaned.`;
}
