import type { Change, ChangeAction, Plan, PlanTarget } from '../model/plan.ts';
import { formatDiagnostic, skippedTargets } from '../model/diagnostic.ts';
import { describeOwner, refLabel } from '../model/objects.ts';
import { escapeText, formatValue } from '../model/display.ts';
import type { Style } from './style.ts';
import { OPENAPI_ATTACHMENT } from '../model/api-operations.ts';
import { listOperations, moreOperations } from './api-operations.ts';
import { describeImpact, impactOf } from '../model/impact.ts';

const SYMBOL: Record<ChangeAction, string> = { create: '+', update: '~', publish: '>', unpublish: '<', delete: '-' };
const VERB: Record<ChangeAction, string> = {
  create: 'will be created',
  update: 'will be updated in place',
  publish: 'will be published',
  unpublish: 'will be unpublished',
  delete: 'will be deleted',
};

/** The counts every format leads with, in a fixed order. */
export function summarise(changes: readonly Change[]): Record<ChangeAction, number> {
  const counts: Record<ChangeAction, number> = { create: 0, update: 0, publish: 0, unpublish: 0, delete: 0 };
  for (const change of changes) counts[change.action] += 1;
  return counts;
}

export function summaryLine(changes: readonly Change[]): string {
  const c = summarise(changes);
  return `Plan: ${c.create} to create, ${c.update} to update, ${c.publish} to publish, ${c.unpublish} to unpublish, ${c.delete} to delete.`;
}

/**
 * Terraform-style text: what will happen, per target, high-risk changes called out first. Every
 * name, key, path and reason may come from a live portal: each is escaped where it is put in a line.
 */
export function renderPlanText(plan: Plan, style: Style): string {
  const out: string[] = [];
  for (const diagnostic of plan.diagnostics) out.push(formatDiagnostic(diagnostic));
  if (plan.diagnostics.length) out.push('');
  if (plan.changes.length === 0) {
    const skipped = skippedTargets(plan.diagnostics);
    out.push(skipped.length ? `${style.green('No changes')} on the targets planned; not planned: ${skipped.map((name) => escapeText(name)).join(', ')} (credentials not set).` : `${style.green('No changes.')} Live products match Git.`);
    for (const target of plan.targets) out.push(...targetFootnotes(target, style));
    return out.join('\n') + '\n';
  }
  out.push('Actions are shown with these symbols:');
  out.push(`  ${style.green('+')} create  ${style.yellow('~')} update  ${style.green('>')} publish  ${style.red('<')} unpublish  ${style.red('-')} delete`);
  out.push('');
  const risky = plan.changes.filter((change) => change.risk === 'high');
  if (risky.length) {
    out.push(style.red(style.bold(`${risky.length} high-risk change${risky.length === 1 ? '' : 's'} (applied only with --allow-destructive):`)));
    for (const [object, changes] of groupByObject(risky)) {
      const reasons = [...new Set(changes.flatMap((change) => change.reasons))];
      const impact = impactOf(changes);
      const affected = impact ? ` (${style.bold(escapeText(describeImpact(impact)))})` : '';
      out.push(`  ${style.red('!')} ${escapeText(object)}: ${changes.map((change) => change.action).join(' → ')}${affected}${changes[0]!.protected ? ` (${PROTECTION_NOTE})` : ''}: ${escapeText(reasons.join('; '))}`);
    }
    out.push('');
  }
  for (const target of plan.targets) {
    const changes = plan.changes.filter((change) => change.target === target.name);
    out.push(style.bold(`Target ${escapeText(target.name)} (${escapeText(describeTarget(target))})`));
    if (changes.length === 0) out.push('  No changes.');
    for (const change of changes) out.push(...renderChange(change, style));
    const footnotes = targetFootnotes(target, style);
    if (footnotes.length) out.push('', ...footnotes);
    out.push('');
  }
  out.push(style.bold(summaryLine(plan.changes)));
  return out.join('\n') + '\n';
}

export function describeTarget(target: PlanTarget): string {
  const parts = [target.provider, target.identity.url];
  if (target.identity.portal) parts.push(`portal ${target.identity.portal}`);
  if (target.identity.org) parts.push(`org ${target.identity.org}`);
  return parts.join(', ');
}

function renderChange(change: Change, style: Style): string[] {
  const colour = change.action === 'create' || change.action === 'publish' ? style.green : change.action === 'update' ? style.yellow : style.red;
  const risk = change.risk === 'high' ? style.red(' [high risk]') : '';
  const notes = [change.protected && 'protected', change.adopts && adoptionNote(change), change.changedOutsideGit && 'edited outside Git since the last apply']
    .filter(Boolean)
    .join('; ');
  const what = change.duplicate ? `${VERB[change.action]}: ${escapeText(describeDuplicate(change))}` : VERB[change.action];
  const lines = ['', style.dim(`  # ${escapeText(change.key)} ${what}${notes ? ` (${notes})` : ''}`)];
  const copy = change.duplicate && change.ref ? ` (id ${escapeText(refLabel(change.ref))})` : '';
  lines.push(`  ${colour(SYMBOL[change.action])} ${style.bold(escapeText(change.key))}${copy}${risk}`);
  const paths = change.fields.map((field) => escapeText(field.path));
  const width = Math.max(0, ...paths.map((path) => path.length));
  for (const [index, field] of change.fields.entries()) {
    const name = paths[index]!.padEnd(width);
    if (change.action === 'create') lines.push(`      ${colour('+')} ${name} = ${formatValue(field.after)}`);
    else if (change.action === 'delete') lines.push(`      ${colour('-')} ${name} = ${formatValue(field.before)}`);
    else lines.push(`      ${colour('~')} ${name} : ${formatValue(field.before)} → ${formatValue(field.after)}`);
    if (field.path === OPENAPI_ATTACHMENT && change.apiOperations) lines.push(...operationLines(change, style));
  }
  return lines;
}

/** Under the document's digests: what its operations do, removed ones in red. */
function operationLines(change: Change, style: Style): string[] {
  const listing = listOperations(change.apiOperations!);
  const lines = [`          ${escapeText(listing.summary)}`];
  for (const entry of listing.entries) {
    if (entry.kind === 'removed') lines.push(`          ${style.red('-')} ${escapeText(entry.operation)}`);
    else if (entry.kind === 'added') lines.push(`          ${style.green('+')} ${escapeText(entry.operation)}`);
    else lines.push(`          ${style.yellow('~')} ${escapeText(entry.operation)}: ${escapeText(entry.details)}`);
  }
  if (listing.more) lines.push(style.dim(`          … ${moreOperations(listing.more)}`));
  return lines;
}

function targetFootnotes(target: PlanTarget, style: Style): string[] {
  const lines: string[] = [];
  if (target.unmanaged > 0) {
    const noun = target.unmanaged === 1 ? 'product' : 'products';
    lines.push(style.dim(`  ${target.unmanaged} unmanaged ${noun} on ${escapeText(target.name)} left alone (not created by apiproducts; \`apiproducts import\` adopts them).`));
  }
  for (const [owner, count] of Object.entries(target.managedByOthers ?? {})) {
    const noun = count === 1 ? 'product' : 'products';
    lines.push(style.dim(`  ${count} ${noun} on ${escapeText(target.name)} managed by ${escapeText(describeOwner(owner))} left alone (another configuration's; \`apiproducts import --adopt-from ${owner === '' ? "''" : escapeText(owner)}\` takes them over).`));
  }
  if (target.orphaned.length > 0) {
    lines.push(style.yellow(`  ${target.orphaned.length} orphaned on ${escapeText(target.name)} (ours, no longer in Git), kept because pruning is off: ${escapeText(target.orphaned.join(', '))}`));
  }
  return lines;
}

/**
 * Why a protected delete, unpublish or auth cycle is not applied. The same words in every format:
 * the protection may live only in the portal's marker (the file is gone), so the fix is a change.
 */
export const PROTECTION_NOTE = 'protected: refused until a change setting `protected: false` has been applied';

function adoptionNote(change: Change): string {
  return change.adoptsFrom === undefined ? 'adopted: not created by apiproducts' : `adopted from ${describeOwner(change.adoptsFrom)}: ownership moves to this configuration`;
}

/**
 * `duplicate of payments (id prod-payments-2, newer copy, identical; prod-payments is kept)`: the
 * delete of a duplicate names the exact copy, because every copy has the same key.
 */
export function describeDuplicate(change: Change): string {
  const { duplicate, ref } = change;
  if (!duplicate || !ref) return '';
  const which = duplicate.order === 'created' ? 'newer copy' : 'ordered by id: creation times missing or equal';
  return `duplicate of ${change.product} (id ${refLabel(ref)}, ${which}, identical; ${duplicate.kept} is kept)`;
}

/** High-risk steps of one object (an unpublish → update → publish cycle) read as one line; each duplicate copy is an object of its own. */
export function groupByObject(changes: readonly Change[]): Map<string, Change[]> {
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const object = `${change.target}/${change.key}${change.duplicate && change.ref ? ` (id ${refLabel(change.ref)})` : ''}`;
    groups.get(object)?.push(change) ?? groups.set(object, [change]);
  }
  return groups;
}
