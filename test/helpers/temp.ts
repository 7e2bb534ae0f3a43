import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary directory a test makes, under one root per test process that is removed when
 * the process exits (recursive, forced: a test that fails half-way still leaves nothing in /tmp).
 */
let root: string | undefined;

export function tempDir(prefix = 'apiproducts-'): string {
  if (!root) {
    const made = mkdtempSync(join(tmpdir(), 'apiproducts-test-'));
    root = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return mkdtempSync(join(root, prefix));
}
