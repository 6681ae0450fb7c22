import { describe, expect, it } from 'vitest';
import { systemReason } from '../src/node-errors.js';

const failure = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('systemReason', () => {
  it('says a known refusal in words', () => {
    expect(systemReason(failure('EINVAL', "EINVAL: invalid argument, write"))).toBe('the file does not accept this (invalid argument)');
    expect(systemReason(failure('EISDIR', "EISDIR: illegal operation on a directory, open '/tmp'"))).toBe('it is a directory');
  });
  it('keeps the words of an unknown one, without its code and system call', () => {
    expect(systemReason(failure('ESTALE', "ESTALE: stale file handle, open '/mnt/x.yml'"))).toBe('stale file handle');
    expect(systemReason(failure('ECONNRESET', 'ECONNRESET: connection reset by peer, read'))).toBe('connection reset by peer');
  });
  it('leaves a message of another shape as it is', () => {
    expect(systemReason(new Error('something else happened'))).toBe('something else happened');
  });
});
