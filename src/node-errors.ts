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
};

/** The reason for a failed file operation; node's message for a code without words here. */
export function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code !== undefined ? own(REASONS, code) : undefined) ?? (error as Error).message;
}
