import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { showValue } from '../model/display.ts';

/**
 * `product/openapi-outside-project`: an `openapi:` path must name a file inside the project.
 * A product file is reviewed as metadata; it must not be a way to read (and send to a portal)
 * `/etc/passwd`, `~/.ssh/id_rsa` or `../../other-repo/secrets.yaml`. Refused: absolute paths,
 * `~` (never expanded), URLs, paths whose `..` leave the project, and symbolic links (the file
 * or a directory on the way) that point outside it. Checked before the loader reads the file.
 */

const FIX = 'keep the OpenAPI file inside the project and write its path relative to the product file, e.g. ./specs/weather.yaml';

export type OpenapiLocation = { absolute: string } | { problem: string; fix: string };

/**
 * Where `openapi` (as written in a binding of the product file at `productFile`, absolute) points, or why it may not
 * be read. `roots`: the directories a product may read from (the project and its products directory).
 */
export function locateOpenapi(productFile: string, openapi: string, roots: readonly string[], realPaths = new RealPaths()): OpenapiLocation {
  // Only a refusal shows the path: quoting it (with its secret check) for every product cost ~2 µs each.
  const shown = (): string => showValue(openapi);
  if (openapi.startsWith('~')) {
    return { problem: `openapi path ${shown()} starts with ~, which is not expanded: a home directory is outside the project`, fix: FIX };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(openapi)) {
    return { problem: `openapi ${shown()} is a URL; it must be the path of a file in the project`, fix: FIX };
  }
  if (path.isAbsolute(openapi) || /^[A-Za-z]:[\\/]|^\\\\/.test(openapi)) {
    return { problem: `openapi path ${shown()} is absolute; it must be relative to the product file and stay inside the project`, fix: FIX };
  }
  const absolute = path.resolve(path.dirname(productFile), openapi);
  if (!roots.some((root) => isInside(absolute, root))) {
    return { problem: `openapi path ${shown()} leads outside the project directory`, fix: FIX };
  }
  const real = realTarget(absolute, realPaths);
  if (real !== undefined && !roots.some((root) => isInside(real, realPaths.of(root)))) {
    return {
      problem: `openapi path ${shown()} is a symbolic link to a file outside the project directory`,
      fix: 'copy the OpenAPI file into the project instead of linking to it',
    };
  }
  return { absolute };
}

/** Whether `file` is `root` or somewhere under it (both absolute). */
export function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/**
 * Real locations of directories, each resolved once per load: every product's `openapi:` check
 * compares against the same roots and mostly the same `specs/` directory, and realpathSync walks
 * every component of a path with an lstat each time.
 */
export class RealPaths {
  private readonly known = new Map<string, string>();

  /** The directory with every link resolved; the path itself when it cannot be resolved. */
  of(dir: string): string {
    let real = this.known.get(dir);
    if (real === undefined) {
      real = realOrSelf(dir);
      this.known.set(dir, real);
    }
    return real;
  }
}

/**
 * The real location of `file` with every symbolic link resolved, also when the last link dangles
 * (its target is then resolved by hand), or undefined when nothing is there. A file that is not a
 * link is its (cached) real directory plus its name: one lstat, not a walk of its whole path.
 */
export function realTarget(file: string, realPaths = new RealPaths()): string | undefined {
  try {
    const stats = lstatSync(file, { throwIfNoEntry: false });
    if (stats === undefined) return undefined; // a path that does not exist: the provider reports it as missing
    const realDir = realPaths.of(path.dirname(file));
    if (!stats.isSymbolicLink()) return path.join(realDir, path.basename(file));
    if (existsSync(file)) return realpathSync(file);
    return path.resolve(realDir, readlinkSync(file));
  } catch {
    return undefined; // gone or unreadable since: the reader reports it
  }
}

function realOrSelf(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}
