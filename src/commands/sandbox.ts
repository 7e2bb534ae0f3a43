import { UserError } from '../model/diagnostic.ts';
import { resetSandbox, startSandbox } from '../sandbox/index.ts';
import type { Io } from './io.ts';
import { loadValidProject, type ProjectOptions } from './project.ts';
import { sandboxStateDir } from './session.ts';

function sandboxTargets(options: ProjectOptions) {
  const targets = loadValidProject(options).targets.filter((t) => t.sandbox);
  if (targets.length === 0) throw new UserError('no sandbox targets selected: mark a target `sandbox: true` in apiproducts.yaml');
  return targets;
}

/** `apiproducts sandbox reset`: reseed every selected sandbox with its realistic starting portal. */
export function runSandboxReset(options: ProjectOptions, io: Io): number {
  for (const target of sandboxTargets(options)) {
    resetSandbox(target, sandboxStateDir(options.cwd));
    io.out(`Reset sandbox ${target.name} (${target.provider}).\n`);
  }
  return 0;
}

/** `apiproducts sandbox serve`: run the sandboxes in the foreground for scripts and curl, until interrupted. */
export async function runSandboxServe(options: ProjectOptions, io: Io, until: Promise<void>): Promise<number> {
  const running = [];
  for (const target of sandboxTargets(options)) {
    const sandbox = await startSandbox(target, sandboxStateDir(options.cwd));
    running.push(sandbox);
    io.out(`${target.name} (${target.provider}) listening on ${sandbox.endpoint.url}\n  token: ${sandbox.endpoint.secret}\n`);
  }
  io.out('State is saved on every change. Press Ctrl-C to stop.\n');
  await until;
  await Promise.all(running.map((s) => s.close()));
  return 0;
}
