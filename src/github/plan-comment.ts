import type { Diagnostic } from '../model/diagnostic.ts';
import type { Plan } from '../model/plan.ts';
import { escapeMarkdown } from '../render/markdown-escape.ts';
import { planMarkdownSections, renderPlanMarkdown } from '../render/plan-markdown.ts';
import { characters, COMMENT_LIMIT, fitChunks, runLink } from './fit.ts';

/**
 * The hidden first line of our sticky comment: one per pull request, whichever targets a run
 * could plan, so the comment always shows the latest run. Markdown escaping turns every `<` from
 * YAML or a portal into `&lt;`, so content can never forge it.
 */
export const PLAN_MARKER = '<!-- apiproducts:plan -->';

/** Earlier versions keyed the marker by the target set (`<!-- apiproducts:plan targets=a,b -->`): those comments are taken over. */
export function isEarlierPlanMarker(firstLine: string): boolean {
  return /^<!-- apiproducts:plan targets=[A-Za-z0-9._%,-]* -->$/.test(firstLine);
}

/** The label that approves destructive changes on merge, unless `--destructive-label` names another. */
export const DEFAULT_DESTRUCTIVE_LABEL = 'apiproducts/allow-destructive';

export interface CommentFacts {
  tool: { name: string; version: string };
  runUrl?: string;
  headSha?: string;
  /** The plan file the workflow uploads as an artifact, when there is one. */
  planFile?: string;
  /** The label that approves high-risk changes on merge (`github apply`). */
  destructiveLabel?: string;
  /** For tests; GitHub's is 65,536. */
  limit?: number;
}

export interface PlanComment {
  marker: string;
  body: string;
  /** The full plan did not fit: the body keeps the verdict, summary and high-risk changes. */
  truncated: boolean;
  /** The full plan as Markdown, for the step summary. */
  fullMarkdown: string;
}

const TITLE = '## apiproducts plan';

/** The sticky comment for a plan: all of it when it fits, else its head and the high-risk changes. */
export function buildPlanComment(plan: Plan, facts: CommentFacts): PlanComment {
  const marker = PLAN_MARKER;
  const limit = facts.limit ?? COMMENT_LIMIT;
  const fullMarkdown = renderPlanMarkdown(plan);
  const footer = approvalNote(plan, facts) + footerLine(facts, plan.createdAt);
  const full = `${marker}\n${TITLE}\n\n${fullMarkdown.trimEnd()}\n\n${footer}\n`;
  if (full.length <= limit) return { marker, body: full, truncated: false, fullMarkdown };

  const sections = planMarkdownSections(plan);
  const link = runLink(facts.runUrl, 'summary of the workflow run');
  const where = [link ? `in the ${link}` : 'in the summary of the workflow run', facts.planFile && `in the plan file <code>${escapeMarkdown(facts.planFile)}</code>, uploaded as the run's artifact`]
    .filter(Boolean)
    .join(' and ');
  const note = `> [!NOTE]\n> The full plan (${fullMarkdown.length.toLocaleString('en-US')} characters) is longer than a pull-request comment can hold (${limit.toLocaleString('en-US')}). This comment keeps the summary and the high-risk changes; every change is ${where}.\n`;
  const head = `${marker}\n${TITLE}\n\n${sections.verdict}\n\n`;
  const tail = `\n${note}\n${footer}\n`;
  // The summary and the high-risk changes first, whatever else there is: a warning per product (a
  // new policy rule) must not crowd them out. The diagnostics get what is left, above them.
  const budget = limit - head.length - tail.length;
  const essential = fitChunks([...sections.summary, ...sections.highRisk].map((line) => line + '\n'), budget, characters, (omitted) =>
    omitted ? `\n… ${omitted} more line${omitted === 1 ? '' : 's'} of the summary and high-risk changes are in the full plan.\n` : '',
  );
  const diagnostics = fitChunks(sections.diagnostics.map((line) => line + '\n'), budget - characters(essential.text), characters, (omitted) =>
    omitted ? `- … ${omitted} more of the errors and warnings ${omitted === 1 ? 'is' : 'are'} in the full plan.\n\n` : '',
  );
  return { marker, body: head + diagnostics.text + essential.text + tail, truncated: true, fullMarkdown };
}

/** When planning failed: the errors, so the comment never shows an older plan as if it were current. */
export function buildFailureComment(message: string, diagnostics: readonly Diagnostic[], facts: CommentFacts): string {
  const marker = PLAN_MARKER;
  const limit = facts.limit ?? COMMENT_LIMIT;
  const head = `${marker}\n${TITLE}\n\n**❌ The plan failed:** ${escapeMarkdown(message)}\n\n`;
  const hint = diagnostics.some((d) => d.source) ? 'Errors in files are also annotated on their lines under **Files changed**.\n\n' : '';
  const tail = `\n${hint}${footerLine(facts)}\n`;
  const lines = diagnostics.map((d) => {
    const where = d.source ? `${d.source.file}:${d.source.line}:${d.source.column} ` : d.target ? `target ${d.target}: ` : '';
    return `- ${d.severity === 'error' ? '❌' : '⚠️'} ${escapeMarkdown(`${where}[${d.rule}] ${d.message}`)}${d.fix ? ` (fix: ${escapeMarkdown(d.fix)})` : ''}\n`;
  });
  const fitted = fitChunks(lines, limit - head.length - tail.length, characters, (n) => (n ? `- … and ${n} more (see the workflow log)\n` : ''));
  return head + fitted.text + tail;
}

/** When the plan was not run at all (a pull request from a fork has no secrets): say so and why. */
export function buildSkippedComment(reason: string, facts: CommentFacts): string {
  const marker = PLAN_MARKER;
  const text = escapeMarkdown(reason).slice(0, 4000);
  return `${marker}\n${TITLE}\n\n**⏭️ The plan was skipped.** ${text}\n\n${footerLine(facts)}\n`;
}

/**
 * High-risk changes (unpublish, delete) are not applied on merge without an approval: the note says
 * which wait for it and the two ways to give it, so nobody learns it from a failed apply.
 */
function approvalNote(plan: Plan, facts: CommentFacts): string {
  const waiting = plan.changes.filter((change) => change.risk === 'high');
  if (waiting.length === 0) return '';
  const label = escapeMarkdown(facts.destructiveLabel ?? DEFAULT_DESTRUCTIVE_LABEL);
  const which = waiting.length === 1 ? 'The high-risk change above waits' : `The ${waiting.length} high-risk changes above wait`;
  return (
    `> [!IMPORTANT]\n> ${which} for approval: on merge, \`apiproducts github apply\` applies nothing of this plan until it is approved. ` +
    `Approve by adding the label <code>${label}</code> to this pull request (before merging, or after it and re-running the apply workflow), ` +
    `or by approving the deployment to the protected environment the apply workflow names (required reviewers).\n\n`
  );
}

function footerLine(facts: CommentFacts, createdAt?: string): string {
  const parts = [`${escapeMarkdown(facts.tool.name)} ${escapeMarkdown(facts.tool.version)}`];
  if (createdAt) parts.push(`planned at ${escapeMarkdown(createdAt)}`);
  if (facts.headSha && /^[0-9a-f]{7,64}$/.test(facts.headSha)) parts.push(`for ${facts.headSha.slice(0, 7)}`);
  const link = runLink(facts.runUrl);
  if (link) parts.push(link);
  return `<sub>${parts.join(' · ')} · this comment is updated in place on every run</sub>`;
}
