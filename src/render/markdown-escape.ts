import { formatValue } from './style.ts';

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '|': '&#124;' };

/**
 * Text from YAML or a live portal, made inert for GitHub Markdown: it cannot open or close a
 * tag, forge a hidden `<!-- … -->` marker, start a heading, list, link, table cell or code span.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[&<>"'|]/g, (c) => HTML_ENTITIES[c]!)
    .replace(/[\\`*_{}[\]()#+\-.!~]/g, (c) => `\\${c}`);
}

/** A field value as inline code that survives any content (backticks, pipes, HTML). */
export function markdownValue(value: unknown, max = 120): string {
  return `<code>${formatValue(value, max).replace(/[\r\n]+/g, ' ').replace(/[&<>"'|]/g, (c) => HTML_ENTITIES[c]!)}</code>`;
}
