import type { Change, ChangeAction, Plan } from '../model/plan.ts';
import { skippedTargets } from '../model/diagnostic.ts';
import { escapeMarkdown, markdownValue } from './markdown-escape.ts';
import { describeOwner, refLabel } from '../model/objects.ts';
import { describeImpact, impactOf } from '../model/impact.ts';
import { describeDuplicate, describeTarget, groupByObject, PROTECTION_NOTE, summarise, summaryLine } from './plan-text.ts';
import { listOperations, moreOperations } from './api-operations.ts';

const ACTIONS: ChangeAction[] = ['create', 'update', 'publish', 'unpublish', 'delete'];
const VERB: Record<ChangeAction, string> = { create: 'create', update: 'update', publish: 'publish', unpublish: 'unpublish', delete: 'delete' };

/** The plan's Markdown in parts, so a comment that must be shortened can keep the head and the risks. */
export interface PlanMarkdownSections {
  /** The one-line verdict. */
  verdict: string;
  /** Errors, then warnings, one list item each (and a blank line after them). */
  diagnostics: string[];
  /** The summary table per target. */
  summary: string[];
  /** The high-risk section, empty when there are none. */
  highRisk: string[];
  /** Per target with changes: its heading, then one self-contained `<details>` block per product. */
  targets: { heading: string[]; blocks: string[][] }[];
}

/**
 * The plan as a pull-request comment: a verdict, a summary table per target, high-risk changes
 * first with their reasons, then one collapsed block per product. Rendered from the same Plan as
 * text and JSON; every string from YAML or a live portal is escaped.
 */
export function renderPlanMarkdown(plan: Plan): string {
  const sections = planMarkdownSections(plan);
  const out = [sections.verdict, '', ...sections.diagnostics, ...sections.summary, ...sections.highRisk];
  for (const target of sections.targets) out.push(...target.heading, ...target.blocks.flat());
  return out.join('\n') + '\n';
}

export function planMarkdownSections(plan: Plan): PlanMarkdownSections {
  const diagnostics: string[] = [];
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  const warnings = plan.diagnostics.filter((d) => d.severity === 'warning');
  for (const d of [...errors, ...warnings]) {
    const where = d.source ? `${d.source.file}:${d.source.line}:${d.source.column} ` : d.target ? `target ${d.target}: ` : '';
    diagnostics.push(`- ${d.severity === 'error' ? '❌' : '⚠️'} ${escapeMarkdown(`${where}[${d.rule}] ${d.message}`)}${d.fix ? ` (fix: ${escapeMarkdown(d.fix)})` : ''}`);
  }
  if (plan.diagnostics.length) diagnostics.push('');
  const summary: string[] = [];
  summary.push('| target | ' + ACTIONS.join(' | ') + ' | unmanaged | orphaned |', '|---|' + ACTIONS.map(() => '---:').join('|') + '|---:|---:|');
  for (const target of plan.targets) {
    const counts = summarise(plan.changes.filter((c) => c.target === target.name));
    summary.push(`| ${escapeMarkdown(target.name)} | ${ACTIONS.map((a) => counts[a]).join(' | ')} | ${target.unmanaged} | ${target.orphaned.length} |`);
  }
  for (const name of skippedTargets(plan.diagnostics)) summary.push(`| ${escapeMarkdown(name)} (not planned) | ${[...ACTIONS, 'unmanaged', 'orphaned'].map(() => '–').join(' | ')} |`);
  summary.push('');
  // Another configuration's products on a shared portal (owner:), by owner: only when there are some.
  const others = plan.targets.flatMap((target) => Object.entries(target.managedByOthers ?? {}).map(([owner, count]) => ({ target: target.name, owner, count })));
  for (const { target, owner, count } of others) {
    summary.push(`- ${escapeMarkdown(`${target}: ${count} product${count === 1 ? '' : 's'} managed by ${describeOwner(owner)}, left alone`)}`);
  }
  if (others.length) summary.push('');
  const highRisk: string[] = [];
  const risky = plan.changes.filter((c) => c.risk === 'high');
  if (risky.length) {
    highRisk.push(`### ⚠️ High-risk changes (applied only with \`--allow-destructive\`)`, '');
    for (const [object, changes] of groupByObject(risky)) {
      const notes = changes[0]!.protected ? ` **${PROTECTION_NOTE}**` : ''; // a constant: nothing to escape
      const reasons = [...new Set(changes.flatMap((change) => change.reasons))];
      const impact = impactOf(changes);
      const affected = impact ? ` (**${escapeMarkdown(describeImpact(impact))}**)` : '';
      highRisk.push(`- **${changes.map((c) => VERB[c.action]).join(' → ')}** <code>${escapeMarkdown(object)}</code>${affected}${notes}: ${reasons.map(escapeMarkdown).join('; ')}`);
    }
    highRisk.push('');
  }
  const targets: PlanMarkdownSections['targets'] = [];
  for (const target of plan.targets) {
    const changes = plan.changes.filter((c) => c.target === target.name);
    if (changes.length === 0) continue;
    const heading = [`### ${escapeMarkdown(target.name)} (${escapeMarkdown(describeTarget(target))})`, ''];
    targets.push({ heading, blocks: [...groupByCopy(changes).values()].map(productBlock) });
  }
  return { verdict: verdict(plan), diagnostics, summary, highRisk, targets };
}

export function verdict(plan: Plan): string {
  if (plan.diagnostics.some((d) => d.severity === 'error')) return '**❌ The plan cannot be applied: fix the errors below.**';
  // A target left out for want of its credentials is neither in step nor planned: said in the verdict, not only below.
  const skipped = skippedTargets(plan.diagnostics);
  const notPlanned = skipped.length ? ` ⚠️ Not planned: ${skipped.map(escapeMarkdown).join(', ')} (credentials not set), so this says nothing about ${skipped.length === 1 ? 'it' : 'them'}.` : '';
  if (plan.changes.length === 0) return skipped.length ? `**✅ No changes on the targets planned.**${notPlanned}` : '**✅ No changes.** Live products match Git.';
  const risky = plan.changes.filter((c) => c.risk === 'high').length;
  return `**${summaryLine(plan.changes)}**${risky ? ` ⚠️ ${risky} high-risk.` : ''}${notPlanned}`;
}

function productBlock(steps: readonly Change[]): string[] {
  const first = steps[0]!;
  const title = first.duplicate ? `delete ${escapeMarkdown(describeDuplicate(first))}` : steps.map((s) => VERB[s.action]).join(' → ');
  const risk = steps.some((s) => s.risk === 'high') ? ' ⚠️' : '';
  const out = ['<details>', `<summary><code>${escapeMarkdown(first.key)}</code>: ${title}${risk}</summary>`, ''];
  for (const step of steps) {
    if (steps.length > 1) out.push(`**${VERB[step.action]}**`, '');
    out.push('| field | before | after |', '|---|---|---|');
    for (const field of step.fields) out.push(`| ${escapeMarkdown(field.path)} | ${step.action === 'create' ? '' : markdownValue(field.before)} | ${step.action === 'delete' ? '' : markdownValue(field.after)} |`);
    out.push('');
    if (step.apiOperations) out.push(...operationsTable(step));
  }
  out.push('</details>', '');
  return out;
}

/** One block per live object: the steps of a key, and each deleted duplicate copy of it on its own. */
function groupByCopy(changes: readonly Change[]): Map<string, Change[]> {
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const copy = change.duplicate && change.ref ? `${change.key}@${refLabel(change.ref)}` : change.key;
    groups.get(copy)?.push(change) ?? groups.set(copy, [change]);
  }
  return groups;
}

const ENTRY_MARK = { removed: '➖ removed', added: '➕ added', changed: '✏️ changed' } as const;

/** The operations of an OpenAPI update, under its fields: removed first, capped, every one in the JSON. */
function operationsTable(step: Change): string[] {
  const listing = listOperations(step.apiOperations!);
  const out = [`**API operations:** ${escapeMarkdown(listing.summary)}`, ''];
  if (listing.entries.length) {
    out.push('| | operation | what changed |', '|---|---|---|');
    for (const entry of listing.entries) {
      out.push(`| ${ENTRY_MARK[entry.kind]} | <code>${escapeMarkdown(entry.operation)}</code> | ${entry.kind === 'changed' ? escapeMarkdown(entry.details) : ''} |`);
    }
    out.push('');
  }
  if (listing.more) out.push(`_${escapeMarkdown(moreOperations(listing.more))}_`, '');
  return out;
}
