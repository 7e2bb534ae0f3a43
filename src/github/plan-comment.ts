import type { Diagnostic } from '../model/diagnostic.ts';
import type { Plan } from '../model/plan.ts';
import { escapeMarkdown } from '../render/markdown-escape.ts';
import { planMarkdownSections, renderPlanMarkdown } from '../render/plan-markdown.ts';
import { characters, COMMENT_LIMIT, fitChunks, markerName, runLink } from './fit.ts';

/**
 * The hidden first line of our sticky comment: the tool and the set of targets planned, so two
 * workflows planning different targets keep one comment each. Markdown escaping turns every `<`
 * from YAML or a portal into `&lt;`, so content can never forge it.
 */
export function planMarker(targets: readonly string[]): string {
  return `<!-- apiproducts:plan targets=${[...targets].sort().map(markerName).join(',')} -->`;
}

export interface CommentFacts {
  tool: { name: string; version: string };
  runUrl?: string;
  headSha?: string;
  /** The plan file the workflow uploads as an artifact, when there is one. */
  planFile?: string;
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
  const marker = planMarker(plan.targets.map((t) => t.name));
  const limit = facts.limit ?? COMMENT_LIMIT;
  const fullMarkdown = renderPlanMarkdown(plan);
  const footer = footerLine(facts, plan.createdAt);
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
  const lines = [...sections.summary, ...sections.highRisk].map((line) => line + '\n');
  const fitted = fitChunks(lines, limit - head.length - tail.length, characters, (omitted) =>
    omitted ? `\n… ${omitted} more line${omitted === 1 ? '' : 's'} of the summary and high-risk changes are in the full plan.\n` : '',
  );
  return { marker, body: head + fitted.text + tail, truncated: true, fullMarkdown };
}

/** When planning failed: the errors, so the comment never shows an older plan as if it were current. */
export function buildFailureComment(targets: readonly string[], message: string, diagnostics: readonly Diagnostic[], facts: CommentFacts): string {
  const marker = planMarker(targets);
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
export function buildSkippedComment(targets: readonly string[], reason: string, facts: CommentFacts): string {
  const marker = planMarker(targets);
  const text = escapeMarkdown(reason).slice(0, 4000);
  return `${marker}\n${TITLE}\n\n**⏭️ The plan was skipped.** ${text}\n\n${footerLine(facts)}\n`;
}

function footerLine(facts: CommentFacts, createdAt?: string): string {
  const parts = [`${escapeMarkdown(facts.tool.name)} ${escapeMarkdown(facts.tool.version)}`];
  if (createdAt) parts.push(`planned at ${escapeMarkdown(createdAt)}`);
  if (facts.headSha && /^[0-9a-f]{7,64}$/.test(facts.headSha)) parts.push(`for ${facts.headSha.slice(0, 7)}`);
  const link = runLink(facts.runUrl);
  if (link) parts.push(link);
  return `<sub>${parts.join(' · ')} · this comment is updated in place on every run</sub>`;
}
