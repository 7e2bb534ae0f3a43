import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden');

/**
 * Compares `actual` with test/golden/<name>. `UPDATE_GOLDEN=1` rewrites the file instead, so a
 * deliberate change to a rendering is one command and a reviewable diff.
 */
export function assertGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.CI && !existsSync(file)) assert.unreachable(`golden file ${name} is missing; run with UPDATE_GOLDEN=1 and commit it`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.fixture(actual, readFileSync(file, 'utf8'), `rendering differs from test/golden/${name} (UPDATE_GOLDEN=1 rewrites it)`);
}
