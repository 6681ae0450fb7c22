/**
 * Writing a file the way a careful editor saves one. The new text goes to a temporary file beside the target
 * first (so a full disk or a kill never leaves half a file); then:
 *  - a plain file (one link, ours to replace) is replaced by renaming the temporary file over it: a reader, a
 *    concurrent run or a kill at any moment sees the old file or the new one, whole;
 *  - a file with other hard links, or whose owner we cannot give the new file, is rewritten in place from the
 *    complete temporary file, so the links and the owner stay (not atomic: a kill during that copy leaves the
 *    new text whole in the temporary file, which is named in the error, and removed by a later run);
 *  - a device, FIFO or socket (`-o /dev/stdout`, `-o /dev/null`) is written to directly, never renamed over.
 * A symbolic link is followed: its target is written, the link stays. The mode (set-user-ID and set-group-ID
 * included), owner and group of the file are kept; a read-only file is refused. Temporary files that a run
 * killed earlier left beside the target are removed.
 */
import { chmodSync, closeSync, constants, fchmodSync, fchownSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError } from './findings.js';
import { systemReason } from './node-errors.js';

const TEMP = /^\.(.+)\.compose-voldriver\.(\d+)\.(\d+)\.tmp$/;
/** A temporary file of a process that is gone, or older than this, is stale. */
const STALE_MS = 10 * 60 * 1000;

function fail(path: string, why: string): never {
  throw new InputError(`cannot write ${path}: ${why}`, { file: path });
}

/** Why a write failed: a missing file means a missing directory, since a missing file is made. */
function reason(error: unknown): string {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'its directory does not exist' : systemReason(error);
}

/** The file a path names once symbolic links are followed; it may not exist yet (a link to a file to create). */
function followLinks(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let stat: Stats;
    try {
      stat = lstatSync(current);
    } catch {
      return current;
    }
    if (!stat.isSymbolicLink()) return current;
    const target = readlinkSync(current);
    current = isAbsolute(target) ? target : resolve(dirname(current), target);
  }
  return fail(path, 'too many levels of symbolic links');
}

/** Whether a process with this pid runs on this machine (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files of this tool for `name` in `dir` that a killed run left. */
function removeStale(dir: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = TEMP.exec(entry);
    if (!match || match[1] !== name) continue;
    const pid = Number(match[2]);
    if (pid !== process.pid && processAlive(pid) && Date.now() - Number(match[3]) < STALE_MS) continue;
    try {
      unlinkSync(join(dir, entry));
    } catch {
      // Another run removed it first.
    }
  }
}

function writeAll(fd: number, data: Buffer): void {
  for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
}

/**
 * A FIFO opened for writing, once a process reads it: opening it blocks until one does, so it is first opened
 * without blocking, which fails at once when none does. That first descriptor stays open until the second is, so
 * the reader never sees the end of the data in between.
 */
function openReadFifo(path: string): number {
  let probe: number;
  try {
    probe = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') fail(path, 'it is a FIFO (named pipe) that no process reads');
    throw error;
  }
  try {
    return openSync(path, constants.O_WRONLY);
  } finally {
    closeSync(probe);
  }
}

export function writeFileSafely(path: string, text: string): void {
  if (path === '') fail(path, 'the file name is empty');
  let named: Stats | undefined;
  try {
    named = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') fail(path, reason(error));
  }
  const data = Buffer.from(text, 'utf8');
  if (named?.isDirectory()) fail(path, 'it is a directory');
  // A device, FIFO or socket, or a file reached through /dev or /proc (-o /dev/stdout): written as it is, as a
  // shell redirection would; its links in /proc do not name a file to put a temporary file beside.
  if (named && (!named.isFile() || /^\/(dev|proc)\//.test(resolve(path)))) {
    let fd: number | undefined;
    try {
      fd = named.isFIFO() ? openReadFifo(path) : openSync(path, constants.O_WRONLY | constants.O_TRUNC);
      writeAll(fd, data);
    } catch (error) {
      if (error instanceof InputError) throw error;
      fail(path, reason(error));
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return;
  }
  const target = followLinks(path);
  const existing = named;
  if (existing && (existing.mode & 0o222) === 0) fail(path, 'the file is read-only (no write permission for anyone); change its mode first if it should be rewritten');

  const dir = dirname(target);
  const name = basename(target);
  removeStale(dir, name);
  const temp = join(dir, `.${name}.compose-voldriver.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  let renamed = false;
  try {
    fd = openSync(temp, 'wx', 0o600);
    writeAll(fd, data);
    fsyncSync(fd);
    let inPlace = false;
    if (existing) {
      // Owner first: changing it clears set-user-ID and set-group-ID, which the mode then restores.
      const mine = fstatSync(fd);
      if (mine.uid !== existing.uid || mine.gid !== existing.gid) {
        try {
          fchownSync(fd, existing.uid, existing.gid);
        } catch {
          inPlace = true;
        }
      }
      fchmodSync(fd, existing.mode & 0o7777);
      if (existing.nlink > 1) inPlace = true;
    } else {
      fchmodSync(fd, 0o666 & ~process.umask());
    }
    closeSync(fd);
    fd = undefined;
    if (!inPlace) {
      renameSync(temp, target);
      renamed = true;
      return;
    }
    const out = openSync(target, constants.O_WRONLY | constants.O_TRUNC);
    try {
      writeAll(out, readFileSync(temp));
      fsyncSync(out);
    } finally {
      closeSync(out);
    }
    if (existing) chmodSync(target, existing.mode & 0o7777);
  } catch (error) {
    if (error instanceof InputError) throw error;
    fail(path, reason(error));
  } finally {
    if (fd !== undefined) closeSync(fd);
    if (!renamed) {
      try {
        unlinkSync(temp);
      } catch {
        // Not made, or already gone.
      }
    }
  }
}

/**
 * `mkdir -p`: the folder and the parents it lacks, one at a time. Not Node's own recursive mkdir, which retries
 * forever where a file system answers "no such file" for a folder whose parent is there (a path under /proc);
 * this makes each folder once and stops at the first refusal, which it throws.
 */
export function makeDirectories(dir: string, mode = 0o777): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !statSync(at, { throwIfNoEntry: false })?.isDirectory(); at = dirname(at)) {
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder, { mode });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
