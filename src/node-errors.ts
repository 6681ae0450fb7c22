/** What the system said about a file, in words: node's own text names the call and the path it was given. */
import { own } from './own.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'a file is in the way',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file would be too large',
  ENAMETOOLONG: 'the file name is too long',
  ELOOP: 'too many levels of symbolic links',
  EPIPE: 'the reading end is closed',
  EIO: 'an input/output error',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
  EISDIR: 'it is a directory',
  EINVAL: 'the file does not accept this (invalid argument)',
  ENXIO: 'no such device or address',
  ENODEV: 'no such device',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EAGAIN: 'the resource is busy; try again',
  EXDEV: 'the paths are on different file systems',
};

/** The reason for a failed file operation; node's message for a code without words here. */
export function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known = code !== undefined ? own(REASONS, code) : undefined;
  if (known) return known;
  // Node's own words without the code before them and the system call after them: "ECODE: words, open 'path'".
  const message = String((error as Error)?.message ?? error);
  return /^E[A-Z0-9]+: (.+?)(?:, [a-z_]+(?: '.*')?)?$/s.exec(message)?.[1] ?? message;
}
