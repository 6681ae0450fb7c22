import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../src/suggest.js';

describe('did you mean', () => {
  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('imgae', 'image')).toBe(1);
    expect(editDistance('durabel', 'durable')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the closest known name, or nothing when none is close', () => {
    expect(closest('drivr_opts', ['driver', 'driver_opts', 'labels'])).toBe('driver_opts');
    expect(closest('tpye', ['type', 'device', 'o'])).toBe('type');
    expect(closest('aws-prod', ['dev', 'aws'])).toBe('aws');
    expect(closest('completely-different', ['fast', 'shared', 'durable'])).toBeUndefined();
  });
});

describe('did you mean, for names no one types', () => {
  it('gives up on a name longer than 256 characters at once, instead of work growing with both lengths', () => {
    const long = 'c'.repeat(1_000_000);
    const started = Date.now();
    expect(editDistance(`d${long.slice(1)}`, long)).toBe(Infinity);
    expect(closest(`d${long.slice(1)}`, [long, 'durable'])).toBeUndefined();
    expect(editDistance('x'.repeat(256), 'y'.repeat(256))).toBe(256);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
