/** Lists of names in messages stay readable on a portal with hundreds of services or proxies. */
const MAX_LISTED = 10;

/** `a, b, c` sorted, cut after ten with a count of the rest; `none` for an empty list. */
export function listNames(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const sorted = [...names].sort();
  const shown = sorted.slice(0, MAX_LISTED).join(', ');
  return sorted.length > MAX_LISTED ? `${shown}, … ${sorted.length - MAX_LISTED} more` : shown;
}
