import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32, listZipEntries, readZipEntry, ZipError } from '../../src/github/zip.ts';
import { repoRoot } from '../helpers/project.ts';
import { writeZip } from './helpers/zip-writer.ts';

test('reads an archive made by Info-ZIP `zip` (a deflated and a stored entry)', () => {
  const zip = readFileSync(join(repoRoot, 'test', 'fixtures', 'github', 'info-zip.zip'));
  assert.equal(listZipEntries(zip).map((entry) => [entry.name, entry.method]), [['plan.json', 8], ['notes.txt', 0]]);
  assert.is(readZipEntry(zip, 'plan.json', 1 << 20)!.toString('utf8'), '{"hello": "world"}\n'.repeat(50));
  assert.is(readZipEntry(zip, 'notes.txt', 1 << 20)!.toString('utf8'), 'other\n');
  assert.is(readZipEntry(zip, 'absent.json', 1 << 20), undefined);
});

test('reads what upload-artifact writes: data descriptors, sizes only in the central directory', () => {
  const zip = writeZip({ 'plan.json': '{"a":1}', 'dir/x.txt': 'x' });
  assert.is(readZipEntry(zip, 'plan.json', 100)!.toString('utf8'), '{"a":1}');
});

test('CRC-32 is the zip checksum', () => {
  assert.is(crc32(Buffer.from('123456789')), 0xcbf43926);
});

test('refuses a damaged archive, a wrong checksum, an oversized entry and unknown compression, each with a reason', () => {
  assert.throws(() => listZipEntries(Buffer.from('not a zip at all, long enough to scan')), (e: unknown) => e instanceof ZipError && /no end of central directory/.test(e.message));
  const zip = writeZip({ 'plan.json': 'x'.repeat(100) });
  assert.throws(() => readZipEntry(zip, 'plan.json', 50), /100 bytes, more than the 50/);
  const flipped = Buffer.from(zip);
  flipped.writeUInt32LE(crc32(Buffer.from('other')), flipped.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 16);
  assert.throws(() => readZipEntry(flipped, 'plan.json', 1000), /fails its size or CRC-32 check/);
  const bzip = Buffer.from(zip);
  bzip.writeUInt16LE(12, bzip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10);
  assert.throws(() => readZipEntry(bzip, 'plan.json', 1000), /compression method 12/);
  // A bomb: a small entry that inflates past the limit stops at the limit, whatever its header claims.
  const packed = deflateRawSync(Buffer.alloc(1 << 20));
  assert.ok(packed.length < 2000);
  assert.throws(() => readZipEntry(bombOf(packed), 'plan.json', 1000), /does not inflate/);
});

/** An archive whose entry claims 10 bytes but inflates to 1 MiB. */
function bombOf(packed: Buffer): Buffer {
  const honest = writeZip({ 'plan.json': Buffer.alloc(10) });
  const local = honest.subarray(0, 30 + 'plan.json'.length);
  const centralAt = honest.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const central = Buffer.from(honest.subarray(centralAt, honest.length - 22));
  central.writeUInt32LE(packed.length, 20);
  const end = Buffer.from(honest.subarray(honest.length - 22));
  end.writeUInt32LE(local.length + packed.length, 16);
  return Buffer.concat([local, packed, central, end]);
}

test.run();
