/** `12,345`: how RESULTS.md writes counts, in the report and in the vendors' notes alike. */
export const thousands = (n: number): string => n.toLocaleString('en-US');
