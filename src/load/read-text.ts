import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import type { Diagnostic } from '../model/diagnostic.ts';
import { describeChar } from '../model/display.ts';

/**
 * Product files and apiproducts.yaml are small: a real product file is a few KiB, one with a
 * long Markdown description a few dozen. The limit keeps a mistaken or hostile file (a generated
 * dump, a log pasted into products/) from costing seconds of parsing or gigabytes of memory; it is
 * checked before the file is read. Measured: 512 KiB of the densest YAML (`[a,a,a,…]`, one token
 * per byte) loads in about 2.5 s on a slow CI core, 1 MiB in about 5 s.
 */
export const MAX_FILE_BYTES = 512 * 1024;

export interface TextFile {
  /** The text, when the file could be read and is UTF-8 text; absent otherwise (see diagnostics). */
  content?: string;
  diagnostics: Diagnostic[];
}

/**
 * Reads a file as UTF-8 text, refusing (with a positioned, one-line diagnostic, never a throw)
 * what is not: a file over `maxBytes`, an unreadable one, UTF-16/32, bytes that are not UTF-8
 * (Latin-1 is the usual culprit), binary content (a NUL byte), and raw control characters.
 * `what` names the file in messages: "a product file", "apiproducts.yaml". `listedRegular`: the
 * directory listing said this entry is a regular file, not a link (readListedFile: no fstat).
 */
export function readTextFile(absolute: string, shown: string, what: string, fix: string, options: { maxBytes?: number; listedRegular?: boolean } = {}): TextFile {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  const at = (line = 1, column = 1) => ({ file: shown, line, column });
  const problem = (rule: string, message: string, fixText: string, source = at()): TextFile => ({
    diagnostics: [{ severity: 'error', rule, message, fix: fixText, source }],
  });
  let bytes: Buffer;
  try {
    const read = options.listedRegular ? readListedFile(absolute, maxBytes) : readBoundedFile(absolute, maxBytes);
    if (!('bytes' in read)) {
      if (read.stats.isDirectory()) return problem('file/unreadable', `the file cannot be read (EISDIR: ${READ_ERRORS['EISDIR']})`, 'check the file permissions, or remove the file');
      if (!read.stats.isFile()) return problem('file/unreadable', 'the file cannot be read (it is not a regular file: a device, socket or pipe)', 'point at a regular file, or remove it');
      return problem('file/too-large', `the file is ${formatSize(read.stats.size)}; ${what} may be at most ${formatSize(maxBytes)} (it was not read)`, fix);
    }
    bytes = read.bytes;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return problem('file/unreadable', `the file cannot be read (${describeReadError(error)})`,
      code === 'ENOENT' ? 'it is a symbolic link to a missing file: restore that file, or remove the link' : 'check the file permissions, or remove the file');
  }
  const bom = byteOrderMark(bytes);
  if (bom) {
    return problem('file/encoding', `the file is ${bom} (it starts with a ${bom} byte order mark); apiproducts reads UTF-8 only`,
      `save the file as UTF-8 (e.g. iconv -f ${bom.replace(/ .*/, '')} -t UTF-8)`);
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return problem('file/binary', 'the file contains a NUL byte: it is binary data, not YAML text',
      'check that this is the file you meant; YAML files are UTF-8 text', positionOf(bytes, nul, at));
  }
  // The native check first: only a file that fails it is walked byte by byte to say where.
  const invalid = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes);
  if (invalid !== -1) {
    const byte = bytes[invalid] ?? 0;
    return problem('file/encoding', `the file is not valid UTF-8: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} is not part of a UTF-8 character (Latin-1 or Windows-1252 text?)`,
      'save the file as UTF-8 (e.g. iconv -f ISO-8859-1 -t UTF-8)', positionOf(bytes, invalid, at));
  }
  const content = bytes.toString('utf8');
  const control = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/u.exec(content);
  if (control) {
    return problem('file/control-character', `the file contains the raw control character ${describeChar(control[0])}; YAML text may only hold printable characters`,
      'remove it (inside double quotes, an escape such as \\u001B writes it if it is really meant)', positionIn(content, control.index, at));
  }
  return { content, diagnostics: [] };
}

/**
 * A regular file's bytes, read through one open descriptor (open, fstat, read, close: no lookup of
 * the path before the read, which cost a second path walk per file), or, without reading it, the
 * stats of what is too large or not a regular file. Throws the system's error (ENOENT, EACCES…).
 */
export function readBoundedFile(absolute: string, maxBytes: number): { bytes: Buffer } | { stats: Stats } {
  const fd = openSync(absolute, 'r');
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > maxBytes) return { stats };
    const bytes = Buffer.allocUnsafe(stats.size);
    let filled = 0;
    while (filled < bytes.length) {
      const read = readSync(fd, bytes, filled, bytes.length - filled, null);
      if (read === 0) break; // shrunk since fstat: what is there is the file
      filled += read;
    }
    return { bytes: filled === bytes.length ? bytes : bytes.subarray(0, filled) };
  } finally {
    closeSync(fd);
  }
}

/** Where readListedFile reads: one buffer for every file, grown to the largest limit asked for. */
let scratch = Buffer.alloc(0);

/**
 * A file the directory listing said is a regular file (not a link), read without fstat: one read
 * of up to `maxBytes + 1` into a shared buffer says both what it holds and whether it is too large
 * (then fstat gives its size for the message): one system call fewer per product file (fstat's
 * time in a `validate` profile of 10,000 files, 13 ms before, 3 ms after). The bytes are valid
 * until the next call: the caller decodes them first.
 * O_NONBLOCK: were the entry replaced by a pipe since the listing, the open does not wait for a writer.
 */
function readListedFile(absolute: string, maxBytes: number): { bytes: Buffer } | { stats: Stats } {
  if (scratch.length < maxBytes + 1) scratch = Buffer.allocUnsafe(maxBytes + 1);
  const fd = openSync(absolute, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    let filled = 0;
    while (filled <= maxBytes) {
      const read = readSync(fd, scratch, filled, maxBytes + 1 - filled, null);
      if (read === 0) break;
      filled += read;
    }
    if (filled > maxBytes) return { stats: fstatSync(fd) };
    return { bytes: scratch.subarray(0, filled) };
  } finally {
    closeSync(fd);
  }
}

/** What is at `path` (links followed), or undefined when nothing is or it cannot be looked at. Never throws. */
export function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** `EACCES: permission denied`: the code of a failed read and what it means, never the path or the stack. */
export function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
  return `${code}${READ_ERRORS[code] ? `: ${READ_ERRORS[code]}` : ''}`;
}

const READ_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOENT: 'it does not exist',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
  ENOTDIR: 'it is not a directory',
};

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}

function byteOrderMark(bytes: Buffer): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return 'UTF-32LE';
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return 'UTF-32BE';
  if (a === 0xff && b === 0xfe) return 'UTF-16LE';
  if (a === 0xfe && b === 0xff) return 'UTF-16BE';
  return undefined;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    const second = bytes[i + 1] ?? 0;
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are not UTF-8 either.
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k] ?? 0;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

type At = (line?: number, column?: number) => { file: string; line: number; column: number };

/** Line and column (in characters, as the YAML positions count them) of a byte offset. */
function positionOf(bytes: Buffer, offset: number, at: At) {
  const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return at(line, bytes.subarray(lineStart, offset).toString('utf8').length + 1);
}

function positionIn(text: string, offset: number, at: At) {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return at(before.split('\n').length, offset - lineStart + 1);
}
