import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, found by walking up from this module: the same code runs from `src/` under
 * tsx and from `dist/src/` when built, at different depths.
 */
export const packageRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('apiproducts: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
})();

export const tool: { name: string; version: string } = (() => {
  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return { name: manifest.name, version: manifest.version };
})();

/**
 * Where a YAML file's `$schema` modeline points: the schema shipped in this package, relative to
 * the file when the package sits inside the project (node_modules, or this repository), so that
 * editors validate offline and against the installed version; else the published copy of exactly
 * this version (a global install or an npx cache is no path to write into a repository).
 */
export function schemaReference(schema: 'product' | 'targets', fileDir: string, projectDir: string): string {
  const file = join(packageRoot, 'schemas', `${schema}.schema.json`);
  if (!relative(projectDir, file).startsWith('..') && existsSync(file)) return relative(fileDir, file).split(sep).join('/') || file;
  return `https://unpkg.com/${tool.name}@${tool.version}/schemas/${schema}.schema.json`;
}
