import { formatValue } from '../model/display.ts';

// `@` too: a bot comment quoting `@org/team` from YAML would notify that team.
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '|': '&#124;', '@': '&#64;' };

/**
 * Text from YAML or a live portal, made inert for GitHub Markdown: it cannot open or close a
 * tag, forge a hidden `<!-- … -->` marker, start a line (heading, list), a link, a table cell,
 * a code span or an @-mention.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[&<>"'|@]/g, (c) => HTML_ENTITIES[c]!)
    // Content never starts a line (newlines are gone), so only inline syntax needs escaping.
    .replace(/[\\`*_{}[\]()~]/g, (c) => `\\${c}`);
}

/** A field value as inline code that survives any content (backticks, pipes, HTML). */
export function markdownValue(value: unknown, max = 120): string {
  // Inline HTML does not stop GitHub from reading emphasis and links inside it: escape those too.
  return `<code>${escapeMarkdown(formatValue(value, max))}</code>`;
}
