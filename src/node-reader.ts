/** Reading files through Node's fs: the library's default reader. It reads no environment variables. */
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readlinkSync, readSync, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from './findings.js';
import { systemReason } from './node-errors.js';

/** How the library reads the files it is given. Paths are as the caller gave them; messages show them so. */
export interface FileReader {
  readFile(path: string): string;
  exists(path: string): boolean;
  /**
   * Whether anything is at the path, a symbolic link to nothing included, where exists says no: a policy found
   * by its name is read (and its reader says what is wrong) rather than passed over for the built-in one.
   */
  present?(path: string): boolean;
  isDirectory?(path: string): boolean;
  /** Text of standard input, for the file name "-". */
  readStdin?(): string;
}

export function readError(error: unknown, path: string): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`cannot read ${path}: no such file`, { file: path });
  if (code === 'EISDIR') return new InputError(`cannot read ${path}: it is a directory, not a file`, { file: path });
  if (code === 'EACCES') return new InputError(`cannot read ${path}: permission denied`, { file: path });
  return new InputError(`cannot read ${path}: ${systemReason(error)}`, { file: path });
}

/**
 * The largest input file read, in bytes. A compose file of 50,000 volumes is about 4 MB; the cap stops a runaway
 * input (a device, a file that keeps growing, a mistaken path to a disk image) before it exhausts memory.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

const KINDS: [keyof Stats, string][] = [
  ['isFIFO', 'a FIFO (named pipe)'],
  ['isCharacterDevice', 'a character device'],
  ['isBlockDevice', 'a block device'],
  ['isSocket', 'a socket'],
];

function tooLarge(shown: string, size?: number): InputError {
  const mib = (bytes: number) => `${Math.ceil(bytes / 1024 / 1024)} MiB`;
  return new InputError(`cannot read ${shown}: it is larger than the ${mib(MAX_INPUT_BYTES)} an input file may have${size ? ` (${mib(size)})` : ''}`, { file: shown });
}

/** /dev/null reads as an empty file (`--env-file /dev/null` for "no variables"); no other device is read. */
function isDevNull(stat: Stats): boolean {
  try {
    return stat.isCharacterDevice() && stat.rdev === statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

/** Reads from `fd` until the end, or refuses once more than MAX_INPUT_BYTES came. */
function readBounded(fd: number, shown: string, expected = 0): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let chunk = Buffer.allocUnsafe(Math.min(Math.max(expected + 1, 64 * 1024), MAX_INPUT_BYTES + 1));
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      // Standard input may be non-blocking (a pipe set so by the parent): wait a moment and read again.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      continue;
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_INPUT_BYTES) throw tooLarge(shown);
    chunks.push(chunk.subarray(0, n));
    // Room for the rest: what is left of this buffer, else a new one as large as what came so far.
    chunk = chunk.length - n >= 4096 ? chunk.subarray(n) : Buffer.allocUnsafe(Math.min(Math.max(64 * 1024, total), MAX_INPUT_BYTES + 2 - total));
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

/** The text of a file's bytes, which must be UTF-8: a byte that is not would come back changed in a rewritten file. */
export function decodeUtf8(bytes: Buffer, shown: string): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const bad = firstInvalidUtf8(bytes);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bad; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const col = Buffer.from(bytes.subarray(lineStart, bad)).toString('utf8').length + 1;
  const byte = bytes[bad].toString(16).padStart(2, '0');
  throw new InputError(`the file is not valid UTF-8: byte 0x${byte} cannot start or continue a character`, { file: shown, line, col }, 'save the file as UTF-8');
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      // Overlong forms, surrogates and code points past U+10FFFF.
      if (k === 1 && ((b === 0xe0 && c < 0xa0) || (b === 0xed && c > 0x9f) || (b === 0xf0 && c < 0x90) || (b === 0xf4 && c > 0x8f))) return i;
    }
    i += length;
  }
  return bytes.length;
}

/**
 * A regular file's text. The file is opened without waiting (a FIFO with no writer would block the open) and
 * checked on the open descriptor, so a symbolic link is judged by what it points to and nothing changes between
 * the check and the read.
 */
export function readRegularFile(path: string, shown: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (!stat.isFile() && !isDevNull(stat)) {
      const kind = KINDS.find(([test]) => (stat[test] as () => boolean).call(stat))?.[1] ?? 'not a regular file';
      throw new InputError(`cannot read ${shown}: it is ${kind}, not a regular file`, { file: shown });
    }
    if (stat.size > MAX_INPUT_BYTES) throw tooLarge(shown, stat.size);
    return decodeUtf8(readBounded(fd, shown, stat.size), shown);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? (danglingLink(path, shown) ?? readError(error, shown)) : readError(error, shown);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A symbolic link to nothing, said as such: "no such file" of a name that is there would puzzle. */
function danglingLink(path: string, shown: string): InputError | undefined {
  try {
    return new InputError(`cannot read ${shown}: it is a symbolic link to ${readlinkSync(path)}, which does not exist`, { file: shown });
  } catch {
    return undefined;
  }
}

/** What standard input gave: its text, or why it could not be read. */
let standardInput: { text: string } | { error: unknown } | undefined;

/**
 * Standard input's text, up to MAX_INPUT_BYTES. It is read once, at the first call; later calls give the same text
 * (or the same error): a command that loads the stack once per environment (`validate -f - --all-environments`)
 * would otherwise find it empty the second time.
 */
export function readStandardInput(): string {
  if (standardInput === undefined) {
    try {
      standardInput = { text: decodeUtf8(readBounded(0, '<stdin>'), '<stdin>') };
    } catch (error) {
      standardInput = { error: error instanceof InputError ? error : readError(error, '<stdin>') };
    }
  }
  if ('error' in standardInput) throw standardInput.error;
  return standardInput.text;
}

/** Files on disk; relative paths are taken from `cwd` when it is given, else from the process's directory. */
export function nodeReader(cwd?: string): Required<FileReader> {
  const at = (path: string) => (cwd === undefined ? path : resolve(cwd, path));
  return {
    readFile: (path) => readRegularFile(at(path), path),
    readStdin: readStandardInput,
    exists: (path) => existsSync(at(path)),
    present: (path) => {
      try {
        lstatSync(at(path));
        return true;
      } catch {
        return false;
      }
    },
    isDirectory: (path) => {
      try {
        return statSync(at(path)).isDirectory();
      } catch {
        return false;
      }
    },
  };
}
