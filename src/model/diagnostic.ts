import { escapeText } from './display.ts';

/** Where a diagnostic points: a file relative to the working directory, 1-based line and column. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning';

/**
 * One problem found in the user's input or in a target, reported together with all the others
 * (never thrown one by one). `rule` is a stable id such as `schema/enum` or `api7/visibility`.
 */
export interface Diagnostic {
  severity: Severity;
  rule: string;
  message: string;
  /** What the user can do about it, when there is one clear fix. */
  fix?: string;
  source?: SourcePosition;
  target?: string;
  product?: string;
}

/** Exit codes shared by every command (DESIGN §6). */
export const ExitCode = {
  ok: 0,
  error: 1,
  changesPending: 2,
  stalePlan: 3,
  partialApply: 4,
  /** SIGINT or SIGTERM: what was done is reported first (128 + SIGINT, as shells do). */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the user can fix (bad input, unreachable target, refused credentials). The CLI prints
 * its message and diagnostics without a stack trace and exits with `exitCode`.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    readonly exitCode: ExitCode = ExitCode.error,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The warning of a target a plan left out because its credentials are not set (`--skip-missing-credentials`). */
export const TARGET_SKIPPED = 'plan/target-skipped';

/** The targets a plan's diagnostics say were not planned. */
export function skippedTargets(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.rule === TARGET_SKIPPED && d.target !== undefined).map((d) => d.target!);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * `products/x.yaml:12:5 error [schema/enum] message` and an indented fix line: the one shape every
 * renderer and test uses. A message may quote a portal's or server's words, so each part is escaped.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.source ? `${escapeText(d.source.file)}:${d.source.line}:${d.source.column} ` : d.target ? `target ${escapeText(d.target)}: ` : '';
  const head = `${where}${d.severity} [${escapeText(d.rule)}] ${escapeText(d.message)}`;
  return d.fix ? `${head}\n  fix: ${escapeText(d.fix)}` : head;
}
