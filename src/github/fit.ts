/** GitHub's limit on the body of an issue or pull-request comment, in characters. */
export const COMMENT_LIMIT = 65_536;
/** GitHub's limit on one step's `$GITHUB_STEP_SUMMARY` file, in bytes (the runner refuses more: "supports content up to a size of 1024k"). */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

export const characters = (text: string): number => text.length;
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * Keeps whole chunks, in order, while they and the note about what was left out fit in `budget`.
 * Every chunk is self-contained Markdown (a table row, a `<details>` block), so a cut never leaves
 * a tag open.
 */
export function fitChunks(
  chunks: readonly string[],
  budget: number,
  size: (text: string) => number,
  more: (omitted: number) => string,
): { text: string; omitted: number } {
  const whole = chunks.join('');
  if (size(whole) <= budget) return { text: whole, omitted: 0 };
  let text = '';
  let used = 0;
  let kept = 0;
  for (const chunk of chunks) {
    const next = size(chunk);
    if (used + next + size(more(chunks.length - kept - 1)) > budget) break;
    text += chunk;
    used += next;
    kept += 1;
  }
  const omitted = chunks.length - kept;
  const note = more(omitted);
  return size(text + note) <= budget ? { text: text + note, omitted } : { text, omitted };
}

/** The workflow run, as a Markdown link, when its URL looks like one (it comes from the environment). */
export function runLink(runUrl: string | undefined, label = 'workflow run'): string | undefined {
  return runUrl && /^https?:\/\/[^\s()<>"'\\]+$/.test(runUrl) ? `[${label}](${runUrl})` : undefined;
}

/** A name safe inside an HTML comment marker: anything but `[A-Za-z0-9._-]` is percent-encoded. */
export function markerName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}
