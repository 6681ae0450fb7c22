/** The real IO: files, streams and environment of this process. */
import type { IO } from './io.js';
import { nodeReader } from './node-reader.js';
import { writeFileSafely } from './node-write.js';

/**
 * A reader that closes the pipe early (`compose-voldriver render | head`) is not an error of ours: end quietly with
 * the status a process killed by SIGPIPE has, as other command-line tools do, instead of Node's unhandled 'error'.
 */
function endOnClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (stream.listenerCount('error') === 0) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(141);
      throw error;
    });
  }
  return stream;
}

export function nodeIO(): IO {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  let color: boolean | undefined;
  // The standard streams are opened on first use only: opening one loads Node's stream modules.
  return {
    stdout: (text) => {
      if (text !== '') endOnClosedPipe(process.stdout).write(text);
    },
    stderr: (text) => {
      if (text !== '') endOnClosedPipe(process.stderr).write(text);
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
