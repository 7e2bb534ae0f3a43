import { inflateRawSync } from 'node:zlib';

/**
 * Reads one file out of a zip archive: GitHub serves workflow-run artifacts only as zip files
 * (https://docs.github.com/en/rest/actions/artifacts#download-an-artifact), and a plan file needs
 * nothing beyond stored and deflated entries, so a small reader over node:zlib replaces a
 * dependency. The central directory is authoritative (sizes there are right even when the local
 * header defers them to a data descriptor); every entry's size and CRC-32 are checked.
 * Format: PKWARE APPNOTE.TXT 6.3.x, sections 4.3.7 (local header), 4.3.12 (central directory),
 * 4.3.16 (end of central directory).
 */
export class ZipError extends Error {}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The archive's entries, from its central directory. */
export function listZipEntries(zip: Buffer): ZipEntry[] {
  const end = findEndOfDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  const offset = zip.readUInt32LE(end + 16);
  if (offset === 0xffffffff || count === 0xffff) throw new ZipError('the archive is a ZIP64 archive, which a plan artifact never needs');
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== DIRECTORY_ENTRY) throw new ZipError('the central directory is damaged');
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** The content of the entry named `name`, or undefined when the archive has none. Refuses more than `maxBytes`. */
export function readZipEntry(zip: Buffer, name: string, maxBytes: number): Buffer | undefined {
  const entry = listZipEntries(zip).find((candidate) => candidate.name === name);
  if (!entry) return undefined;
  if (entry.size > maxBytes) throw new ZipError(`${name} is ${entry.size} bytes, more than the ${maxBytes} a plan file may have`);
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_HEADER) throw new ZipError(`the local header of ${name} is damaged`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw new ZipError(`${name} is cut short`);
  let content: Buffer;
  if (entry.method === 0) content = Buffer.from(data);
  else if (entry.method === 8) {
    try {
      content = inflateRawSync(data, { maxOutputLength: maxBytes + 1 });
    } catch (error) {
      throw new ZipError(`${name} does not inflate: ${(error as Error).message}`);
    }
  } else throw new ZipError(`${name} uses compression method ${entry.method}; only stored (0) and deflate (8) are read`);
  if (content.length !== entry.size || crc32(content) !== entry.crc) throw new ZipError(`${name} fails its size or CRC-32 check`);
  return content;
}

/** The end-of-central-directory record: the last 22 bytes, or further back by a comment of up to 65,535 bytes. */
function findEndOfDirectory(zip: Buffer): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  throw new ZipError('not a zip archive (no end of central directory)');
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, the zip checksum); node:zlib's crc32 needs Node 22.2. */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
