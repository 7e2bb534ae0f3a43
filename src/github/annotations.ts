import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Diagnostic, Severity } from '../model/diagnostic.ts';
import { escapeText } from '../model/display.ts';

/** GitHub shows at most 10 annotations of each type per step (and 50 per job). */
export const ANNOTATIONS_PER_TYPE = 10;

export interface AnnotationOptions {
  /** The directory diagnostic file paths are relative to (the project, `--chdir`). */
  projectDir: string;
  /** `GITHUB_WORKSPACE`: annotation paths are relative to the repository root. */
  workspace?: string;
}

/** Data of a workflow command: `%`, CR and LF escaped (actions/toolkit `escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property of a workflow command: also `:` and `,` (actions/toolkit `escapeProperty`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Diagnostics as `::error file=…,line=…,col=…,title=…::message` lines (`::warning` for warnings),
 * so GitHub shows each on its YAML line in the pull request. Beyond 10 of a type, the first 9
 * are printed and the 10th says how many more there are: GitHub would drop them silently.
 */
export function renderAnnotations(diagnostics: readonly Diagnostic[], options: AnnotationOptions): string[] {
  const lines: string[] = [];
  for (const severity of ['error', 'warning'] as Severity[]) {
    const ofType = diagnostics.filter((d) => d.severity === severity);
    const shown = ofType.length > ANNOTATIONS_PER_TYPE ? ofType.slice(0, ANNOTATIONS_PER_TYPE - 1) : ofType;
    for (const diagnostic of shown) lines.push(annotation(diagnostic, options));
    const rest = ofType.length - shown.length;
    if (rest > 0) {
      const noun = `${severity}${rest === 1 ? '' : 's'}`;
      lines.push(
        `::${severity} title=${escapeProperty('apiproducts: more problems')}::${escapeData(
          `${rest} more ${noun} not annotated (GitHub shows ${ANNOTATIONS_PER_TYPE} per step): every problem is listed in the log of this step.`,
        )}`,
      );
    }
  }
  return lines;
}

function annotation(d: Diagnostic, options: AnnotationOptions): string {
  const properties: string[] = [];
  if (d.source) {
    properties.push(`file=${escapeProperty(escapeText(annotationPath(d.source.file, options)))}`);
    if (d.source.line > 0) properties.push(`line=${d.source.line}`);
    if (d.source.column > 0) properties.push(`col=${d.source.column}`);
  }
  properties.push(`title=${escapeProperty(`apiproducts ${escapeText(d.rule)}`)}`);
  // Each part escaped first: a message quoting a portal can then only add text to its own
  // annotation, never a second workflow command (`%0A::add-mask::…` is data) or an ESC in the log.
  const where = !d.source && d.target ? `target ${escapeText(d.target)}: ` : '';
  const message = `${where}${escapeText(d.message)}${d.fix ? `\nfix: ${escapeText(d.fix)}` : ''}`;
  return `::${d.severity} ${properties.join(',')}::${escapeData(message)}`;
}

/** A diagnostic's path (relative to the project) as GitHub wants it: relative to the repository root, with `/`. */
function annotationPath(file: string, options: AnnotationOptions): string {
  const absolute = isAbsolute(file) ? file : resolve(options.projectDir, file);
  if (!options.workspace) return relative(options.projectDir, absolute).split(sep).join('/') || file;
  const inWorkspace = relative(resolve(options.workspace), absolute);
  if (inWorkspace.startsWith('..') || isAbsolute(inWorkspace)) return absolute.split(sep).join('/');
  return inWorkspace.split(sep).join('/');
}

/** Prints the annotations when running in GitHub Actions (`GITHUB_ACTIONS=true`); a no-op elsewhere. */
export function printAnnotations(diagnostics: readonly Diagnostic[], env: NodeJS.ProcessEnv, projectDir: string, write: (text: string) => void): void {
  if (env.GITHUB_ACTIONS !== 'true' || diagnostics.length === 0) return;
  const lines = renderAnnotations(diagnostics, { projectDir, ...(env.GITHUB_WORKSPACE ? { workspace: env.GITHUB_WORKSPACE } : {}) });
  write(lines.join('\n') + '\n');
}
