import { appendFileSync, statSync } from 'node:fs';
import type { Plan } from '../model/plan.ts';
import { planMarkdownSections } from '../render/plan-markdown.ts';
import { fitChunks, STEP_SUMMARY_LIMIT, utf8Bytes } from './fit.ts';

export interface SummaryWritten {
  bytes: number;
  /** Chunks (products, rows) left out to stay under the 1 MiB cap. */
  omitted: number;
}

/**
 * Appends Markdown chunks to `$GITHUB_STEP_SUMMARY`, keeping the whole file under GitHub's 1 MiB
 * cap (what the step already wrote counts): whole chunks only, then a note naming what was left
 * out and where it is.
 */
export function appendStepSummary(file: string, chunks: readonly string[], elsewhere: string, limit = STEP_SUMMARY_LIMIT): SummaryWritten {
  let existing = 0;
  try {
    existing = statSync(file).size;
  } catch {
    // Not written yet in this step.
  }
  const more = (omitted: number) => (omitted ? `\n> [!WARNING]\n> ${omitted} more part${omitted === 1 ? '' : 's'} of this report did not fit in the step summary (1 MiB at most); ${elsewhere}.\n` : '');
  const fitted = fitChunks(chunks, Math.max(0, limit - existing - 1), utf8Bytes, more);
  const text = fitted.text.endsWith('\n') || fitted.text === '' ? fitted.text : fitted.text + '\n';
  if (text === '' || existing + utf8Bytes(text) > limit) return { bytes: 0, omitted: chunks.length };
  appendFileSync(file, text);
  return { bytes: utf8Bytes(text), omitted: fitted.omitted };
}

/** The full plan as step-summary chunks: the head and risks in one, then each target heading and product block. */
export function planSummaryChunks(plan: Plan, title: string): string[] {
  const sections = planMarkdownSections(plan);
  const chunks = [[`## ${title}`, '', sections.verdict, '', ...sections.diagnostics, ...sections.summary, ...sections.highRisk].join('\n') + '\n'];
  for (const target of sections.targets) {
    chunks.push(target.heading.join('\n') + '\n');
    for (const block of target.blocks) chunks.push(block.join('\n') + '\n');
  }
  return chunks;
}
