/** The sandbox's state file under many writes: saved once per interval and on close, never per write. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { coalescingSaver } from '../../src/sandbox/state-file.ts';
import { tempDir } from '../helpers/temp.ts';

const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { n: number };

test('a thousand changes within one interval are one write, of the last state; flush writes at once', () => {
  const path = join(tempDir('apiproducts-saver-'), 'state.json');
  const saver = coalescingSaver(path, 3_600_000);
  for (let n = 1; n <= 1000; n++) saver.changed({ n });
  assert.throws(() => readFileSync(path), /ENOENT/, 'nothing written before the interval ends');
  saver.flush();
  assert.is(read(path).n, 1000);
  saver.flush();
  assert.is(read(path).n, 1000, 'a flush with nothing pending writes nothing new');
});

test('a change is on disk one interval later without a flush', async () => {
  const path = join(tempDir('apiproducts-saver-'), 'state.json');
  const saver = coalescingSaver(path, 1);
  saver.changed({ n: 7 });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.is(read(path).n, 7);
  saver.changed({ n: 8 });
  saver.flush();
  assert.is(read(path).n, 8);
});

test.run();
