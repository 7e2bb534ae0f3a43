import { escapeText, formatValue } from '../model/display.ts';

// `@` too: a bot comment quoting `@org/team` from YAML would notify that team.
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '|': '&#124;', '@': '&#64;' };

/**
 * Text from YAML or a live portal, made inert for GitHub Markdown: it cannot open or close a
 * tag, forge a hidden `<!-- … -->` marker, start a line (heading, list), a link, a table cell,
 * a code span or an @-mention. The control-character escaper runs first, so the Markdown also
 * reaches the step summary and the log without an ESC, a newline or a bidi override, and its
 * backslashes are then escaped for Markdown (`\\u001B` reads as `\u001B`).
 */
export function escapeMarkdown(text: string): string {
  return escapeText(text)
    .replace(/[&<>"'|@]/g, (c) => HTML_ENTITIES[c]!)
    // Content never starts a line (newlines are escaped), so only inline syntax needs escaping.
    .replace(/[\\`*_{}[\]()~]/g, (c) => `\\${c}`);
}

/** A field value as inline code that survives any content (backticks, pipes, HTML). */
export function markdownValue(value: unknown, max = 120): string {
  // Inline HTML does not stop GitHub from reading emphasis and links inside it: escape those too.
  return `<code>${escapeMarkdown(formatValue(value, max))}</code>`;
}
