import type { Diagnostic } from '../model/diagnostic.ts';

/** More problems than this in one file are summed up in one line: the first ones are what to fix. */
export const MAX_DIAGNOSTICS_PER_FILE = 20;

/** Stable: diagnostics at the same position keep the order in which they were found. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const x = a.d.source;
      const y = b.d.source;
      if (!x || !y) return (x ? 1 : 0) - (y ? 1 : 0) || a.i - b.i;
      return compare(x.file, y.file) || x.line - y.line || x.column - y.column || a.i - b.i;
    })
    .map(({ d }) => d);
}

/**
 * Sorted diagnostics, with the ones past MAX_DIAGNOSTICS_PER_FILE in a file replaced by one line
 * that counts them (an error if any of them is one, so that the outcome does not change).
 */
export function capPerFile(sorted: readonly Diagnostic[]): Diagnostic[] {
  const hidden = new Map<string, Diagnostic[]>();
  const seen = new Map<string, number>();
  for (const d of sorted) {
    if (!d.source) continue;
    const n = (seen.get(d.source.file) ?? 0) + 1;
    seen.set(d.source.file, n);
    if (n <= MAX_DIAGNOSTICS_PER_FILE) continue;
    const list = hidden.get(d.source.file) ?? [];
    list.push(d);
    hidden.set(d.source.file, list);
  }
  const shown = new Map<string, number>();
  const kept: Diagnostic[] = [];
  for (const d of sorted) {
    if (!d.source) {
      kept.push(d);
      continue;
    }
    const n = (shown.get(d.source.file) ?? 0) + 1;
    shown.set(d.source.file, n);
    if (n <= MAX_DIAGNOSTICS_PER_FILE) kept.push(d);
    if (n !== MAX_DIAGNOSTICS_PER_FILE + 1) continue;
    const rest = hidden.get(d.source.file) ?? [];
    kept.push({
      severity: rest.some((h) => h.severity === 'error') ? 'error' : 'warning',
      rule: 'report/truncated',
      message: `${rest.length} more problem${rest.length === 1 ? '' : 's'} in this file from here on ${rest.length === 1 ? 'is' : 'are'} not shown`,
      fix: 'fix the problems above and run again',
      source: d.source,
    });
  }
  return kept;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

