/**
 * The owner record itself (src/sandbox/owner.ts): exclusive creation, release, and the takeover
 * of a stale record when two claimants race for it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { claimOwner, type OwnerRecord } from '../../src/sandbox/owner.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir('apiproducts-owner-');
test.after(() => rmSync(dir, { recursive: true, force: true }));

const record = (command: string, pid = process.pid): OwnerRecord => ({ pid, kind: 'run', command, startedAt: '2026-01-01T00:00:00.000Z' });

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

test('the first claim wins and the next sees it; release removes only our own record', async () => {
  const file = join(dir, 'first', 'target.owner.json');
  const first = await claimOwner(file, record('apiproducts apply'));
  assert.ok('release' in first);
  assert.equal(await claimOwner(file, record('apiproducts plan')), { owner: record('apiproducts apply') });
  first.publish({ url: 'http://127.0.0.1:1' });
  assert.is((JSON.parse(readFileSync(file, 'utf8')) as OwnerRecord).url, 'http://127.0.0.1:1');
  // Someone else's record in its place (ours was judged stale, say) is left alone.
  writeFileSync(file, JSON.stringify(record('apiproducts drift')));
  first.release();
  assert.ok(existsSync(file));
  rmSync(file);
});

test('two claimants taking over one stale record: exactly one wins, the other is told who', async () => {
  const file = join(dir, 'race', 'target.owner.json');
  const stale = await claimOwner(file, record('apiproducts apply', await deadPid()));
  assert.ok('release' in stale);
  // Both read the stale record before either removes it: the later remover finds the winner's
  // record where the stale one was, and puts it back.
  const results = await Promise.all([claimOwner(file, record('apiproducts plan')), claimOwner(file, record('apiproducts drift'))]);
  const won = results.filter((result) => 'release' in result);
  const lost = results.filter((result): result is { owner: OwnerRecord } => 'owner' in result);
  assert.is(won.length, 1);
  assert.is(lost.length, 1);
  const holder = JSON.parse(readFileSync(file, 'utf8')) as OwnerRecord;
  assert.equal(lost[0]!.owner, holder);
  assert.ok(['apiproducts plan', 'apiproducts drift'].includes(holder.command));
  rmSync(file);
});

test.run();
