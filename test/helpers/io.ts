/** An IO for tests: real files, captured output, a chosen environment. */
import { nodeIO } from '../../src/node-io.js';
import type { IO } from '../../src/io.js';

export interface CapturedIO extends IO {
  out: string;
  err: string;
}

export function testIO(options: { env?: Record<string, string | undefined>; stdin?: string; cwd?: string } = {}): CapturedIO {
  const real = nodeIO();
  const io: CapturedIO = {
    ...real,
    out: '',
    err: '',
    color: false,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
    readStdin: () => options.stdin ?? '',
  };
  return io;
}
