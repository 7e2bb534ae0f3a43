import { describeHolder } from '../apply/lock-holder.ts';
import { UserError } from '../model/diagnostic.ts';
import type { Io } from './io.ts';
import { loadValidProject, type ProjectOptions } from './project.ts';
import { openTargets } from './session.ts';

export interface UnlockOptions extends ProjectOptions {
  target: string | undefined;
  force: boolean;
}

/**
 * `apiproducts unlock TARGET --force`: removes a lock a killed or hung apply left on a target,
 * as Terraform's `force-unlock`. Without --force it only says who holds it: removing the lock of
 * a run that is still writing lets a second writer in, so it is never the default.
 */
export async function runUnlock(options: UnlockOptions, io: Io): Promise<number> {
  if (!options.target) throw new UserError('unlock needs the target whose lock to remove: apiproducts unlock TARGET --force');
  const project = loadValidProject({ ...options, targets: [options.target] });
  const open = await openTargets(project.targets, options.cwd, io, 'apiproducts unlock');
  try {
    const locks = open.sessions[0]!.provider.locks;
    const records = await locks.list();
    if (records.length === 0) {
      io.out(`Target ${options.target} is not locked.\n`);
      return 0;
    }
    if (!options.force) {
      for (const record of records) io.out(`Target ${options.target} is locked by ${describeHolder(record)}.\n`);
      throw new UserError(`nothing removed: if no apply is running there any more, run \`apiproducts unlock ${options.target} --force\``);
    }
    for (const record of records) {
      await locks.remove(record);
      io.out(`Removed the lock on ${options.target} held by ${describeHolder(record)}.\n`);
    }
    return 0;
  } finally {
    await open.close();
  }
}
