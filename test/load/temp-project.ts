import { tempDir } from '../helpers/temp.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes `{relative path: content}` into a fresh temp dir and returns it (the cwd of the test). */
export function tempProject(files: Record<string, string>): string {
  const dir = tempDir('apiproducts-load-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
