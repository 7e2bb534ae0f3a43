import { formatDiagnostic } from '../model/diagnostic.ts';
import { printAnnotations } from '../github/annotations.ts';
import type { Io } from './io.ts';
import { loadValidProject, type ProjectOptions } from './project.ts';

/** `apiproducts validate`: load and check everything offline; no network, no credentials. */
export function runValidate(options: ProjectOptions, io: Io): number {
  const project = loadValidProject(options);
  for (const warning of project.warnings) io.err(formatDiagnostic(warning) + '\n');
  printAnnotations(project.warnings, io.env, options.cwd, io.err);
  const products = project.products.products.length;
  const targets = project.targets.length;
  io.out(
    io.style.green('Valid: ') +
      `${products} product${products === 1 ? '' : 's'}, ${targets} target${targets === 1 ? '' : 's'}` +
      (project.warnings.length ? `, ${project.warnings.length} warning${project.warnings.length === 1 ? '' : 's'}.\n` : '.\n'),
  );
  return 0;
}
