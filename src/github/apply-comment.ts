import type { Change, Plan } from '../model/plan.ts';
import { canonicalJson } from '../model/fingerprint.ts';
import { escapeMarkdown } from '../render/markdown-escape.ts';
import { markerName, runLink } from './fit.ts';
import { DEFAULT_DESTRUCTIVE_LABEL } from './plan-comment.ts';

/**
 * The hidden first line of the comment `github apply` keeps on a merged pull request: one per set
 * of targets applied, so the jobs of a matrix (one target each) keep one comment each.
 */
export function applyMarker(targets: readonly string[]): string {
  return `<!-- apiproducts:apply targets=${[...targets].sort().map(markerName).join(',')} -->`;
}

/**
 * What a change would write, without what it was checked against: the same action on the same
 * object with the same fields before and after. Preconditions (live fingerprints), ids and source
 * positions are left out, so a re-plan against an unchanged portal matches the reviewed plan even
 * when a comment in a YAML file moved a line; a live value that moved changes `fields` and does not.
 */
function effect(change: Change): unknown {
  const { action, target, key, product, fields, risk, after, ref, adopts, duplicate } = change;
  return { action, target, key, product, fields, risk, after, ref, adopts, duplicate };
}

/** Pure: the two plans would make exactly the same writes, in any order. */
export function sameEffects(reviewed: Plan, fresh: Plan): boolean {
  const describe = (plan: Plan) => plan.changes.map((change) => canonicalJson(effect(change))).sort();
  return canonicalJson(describe(reviewed)) === canonicalJson(describe(fresh));
}

export interface ApplyCommentFacts {
  headSha: string;
  /** The run that made the reviewed plan, when it was found. */
  planRunUrl?: string;
  /** This (apply) run. */
  runUrl?: string;
  tool: { name: string; version: string };
}

export type ApplyVerdict =
  | { kind: 'refused'; why: string; fresh: Plan }
  | { kind: 'waiting'; plan: Plan; label: string }
  | { kind: 'applying'; plan: Plan; replannedBecause?: string }
  | { kind: 'nothing'; why?: string };

/** The comment for what the merge did with the reviewed plan. Every value from outside is escaped. */
export function buildApplyComment(verdict: ApplyVerdict, facts: ApplyCommentFacts, targets: readonly string[]): string {
  const head = `${applyMarker(targets)}\n## apiproducts apply: ${targets.map(escapeMarkdown).join(', ')}\n\n`;
  const reviewed = `the plan reviewed for ${facts.headSha.slice(0, 7)}${facts.planRunUrl && runLink(facts.planRunUrl, 'plan run') ? ` (${runLink(facts.planRunUrl, 'plan run')})` : ''}`;
  let text: string;
  switch (verdict.kind) {
    case 'refused':
      text =
        `**❌ Nothing was applied.** ${escapeMarkdown(upper(verdict.why))}, so the merge was re-planned, and the new plan differs from ${reviewed}:\n\n` +
        changeList(verdict.fresh.changes) +
        `\nNo change is applied that nobody reviewed. Open a pull request (an empty commit is enough) so the current plan is reviewed; its merge applies it.\n`;
      break;
    case 'waiting':
      text =
        `**⏸️ Waiting for approval: nothing was applied.** ${reviewed} holds high-risk changes:\n\n` +
        changeList(verdict.plan.changes.filter((change) => change.risk === 'high')) +
        `\nTo approve them, add the label <code>${escapeMarkdown(verdict.label || DEFAULT_DESTRUCTIVE_LABEL)}</code> to this pull request and re-run the apply workflow, ` +
        `or approve the deployment to the apply workflow's protected environment.\n`;
      break;
    case 'applying':
      text = verdict.replannedBecause
        ? `**▶️ Applying a re-plan identical to ${reviewed}** (re-planned because ${escapeMarkdown(verdict.replannedBecause)}): ${count(verdict.plan.changes.length)}.\n`
        : `**▶️ Applying ${reviewed}**: ${count(verdict.plan.changes.length)}. The workflow run reports each change.\n`;
      break;
    case 'nothing':
      text = `**✅ Nothing to apply.** ${verdict.why ? `${escapeMarkdown(upper(verdict.why))}; the` : 'The'} re-plan of the merge has no changes.\n`;
      break;
  }
  const run = runLink(facts.runUrl);
  return `${head}${text}\n<sub>${escapeMarkdown(facts.tool.name)} ${escapeMarkdown(facts.tool.version)}${run ? ` · ${run}` : ''} · this comment is updated in place</sub>\n`;
}

/** At most 50 lines: the run's log has every change. */
function changeList(changes: readonly Change[]): string {
  const lines = changes.slice(0, 50).map((change) => `- ${change.action} <code>${escapeMarkdown(change.key)}</code> on ${escapeMarkdown(change.target)}${change.risk === 'high' ? ' ⚠️' : ''}\n`);
  if (changes.length > 50) lines.push(`- … and ${changes.length - 50} more (see the workflow run)\n`);
  return lines.join('') || '- (no changes)\n';
}

function count(n: number): string {
  return `${n} change${n === 1 ? '' : 's'}`;
}

function upper(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
