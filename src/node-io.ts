/** The real IO: files, streams and environment of this process. */
import type { IO } from './io.js';
import { nodeReader } from './node-reader.js';
import { writeFileSafely } from './node-write.js';

export function nodeIO(): IO {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  let color: boolean | undefined;
  // The standard streams are opened on first use only: opening one loads Node's stream modules.
  return {
    stdout: (text) => {
      if (text !== '') process.stdout.write(text);
    },
    stderr: (text) => {
      if (text !== '') process.stderr.write(text);
    },
    env: process.env,
    cwd: process.cwd(),
    get color() {
      return (color ??= !noColor && process.stdout.isTTY === true && process.env.TERM !== 'dumb');
    },
    get terminal() {
      return process.stdout.isTTY === true;
    },
    ...nodeReader(),
    writeFileAtomic: writeFileSafely,
  };
}
