import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../model/diagnostic.ts';
import { displayPath } from '../load/read-config.ts';
import { describeReadError } from '../load/read-text.ts';
import { isInside } from '../load/openapi-path.ts';
import type { ProjectOptions } from './project.ts';

/** How every plan file begins (render/plan-json.ts): enough to tell one from any other file. */
const PLAN_FILE_START = /^\s*\{\s*"formatVersion"\s*:/;

/**
 * Where `plan --out FILE` may write, checked before anything is read or requested: never over the
 * targets file or into the products directory (the next run would read a plan as a product, or
 * fail on a targets file that is now JSON), never over a directory or an existing file that is not
 * a plan file (a README, a workflow), and only into a directory that exists. Returns the absolute path.
 */
export function checkPlanOut(out: string, options: ProjectOptions): string {
  const path = resolve(options.cwd, out);
  const shown = displayPath(path, options.cwd);
  const refuse = (why: string, fix: string): never => {
    throw new UserError(`--out ${shown}: ${why}; nothing was planned (${fix})`);
  };
  const elsewhere = 'write the plan file outside the project\'s inputs, e.g. --out plan.json';
  if (path === resolve(options.cwd, options.config ?? 'apiproducts.yaml')) refuse('that is the targets file', elsewhere);
  if (isInside(path, resolve(options.cwd, options.products ?? 'products'))) refuse('that is inside the products directory, where it would be read as a product', elsewhere);
  let stats;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    refuse(`it cannot be checked (${describeReadError(error)})`, 'choose a path you can write');
  }
  if (stats?.isDirectory()) refuse('that is a directory', 'name the file, e.g. --out plan.json');
  if (stats && !stats.isFile()) refuse('that is not a regular file', 'name a regular file');
  if (stats && !isPlanFile(path)) refuse('the file exists and is not a plan file, so it is not overwritten', 'remove it, or choose another path');
  if (!stats && !statSync(dirname(path), { throwIfNoEntry: false })?.isDirectory()) {
    refuse(`the directory ${displayPath(dirname(path), options.cwd)} does not exist`, 'create it first, or choose another path');
  }
  return path;
}

/** Writes the plan file checked by checkPlanOut; a failure is one line, never a stack. */
export function writePlanOut(path: string, cwd: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new UserError(`cannot write the plan to ${displayPath(path, cwd)} (${describeReadError(error)}); it was not saved`);
  }
}

function isPlanFile(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const start = Buffer.alloc(256);
      return PLAN_FILE_START.test(start.subarray(0, readSync(fd, start, 0, start.length, 0)).toString('utf8'));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}
