/** The real IO: files, streams and environment of this process. */
import { EXIT, InputError } from './findings.js';
import type { IO } from './io.js';
import { systemReason } from './node-errors.js';
import { nodeReader } from './node-reader.js';
import { writeFileSafely } from './node-write.js';

/**
 * A reader that closes the pipe early (`compose-voldriver render | head`) is not an error of ours: end quietly with
 * the status a process killed by SIGPIPE has, as other command-line tools do, instead of Node's unhandled 'error'.
 * Any other failure to write standard output (a full disk, `> /dev/full`, an I/O error) ends the run with one line
 * on standard error and exit code 2, as a failed `-o` does: the output is not whole. Standard error that cannot be
 * written is given up (there is nowhere to say so); the exit code still tells.
 */
function guarded(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (stream.listenerCount('error') === 0) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(141);
      if (stream !== process.stderr) {
        try {
          process.stderr.write(`error: ${cannotWrite(error).message}\n`);
        } catch {
          // Nowhere to say it.
        }
      }
      process.exit(EXIT.input);
    });
  }
  return stream;
}

function cannotWrite(error: unknown): InputError {
  return new InputError(`cannot write to standard output: ${systemReason(error)}`);
}

/** The standard streams written to so far (each is opened on first use). */
const written = new Set<NodeJS.WriteStream>();

/** Whether a standard stream written to still holds text the system has not taken yet (a slow pipe or terminal). */
export function outputPending(): boolean {
  for (const stream of written) if (stream.writableLength > 0) return true;
  return false;
}

/** Writes to a standard stream; a file behind it fails at once (a synchronous write), a pipe or terminal later. */
function write(stream: NodeJS.WriteStream, text: string): void {
  written.add(stream);
  try {
    guarded(stream).write(text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') process.exit(141);
    if (stream !== process.stderr) throw cannotWrite(error);
  }
}

export function nodeIO(): IO {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  let color: boolean | undefined;
  let colorErr: boolean | undefined;
  // Each stream is coloured when it is itself a terminal: `validate 2> log` writes no escape codes into the log.
  const colored = (stream: NodeJS.WriteStream) => !noColor && stream.isTTY === true && process.env.TERM !== 'dumb';
  // The standard streams are opened on first use only: opening one loads Node's stream modules.
  return {
    stdout: (text) => {
      if (text !== '') write(process.stdout, text);
    },
    stderr: (text) => {
      if (text !== '') write(process.stderr, text);
    },
    env: process.env,
    cwd: process.cwd(),
    get color() {
      return (color ??= colored(process.stdout));
    },
    get colorErr() {
      return (colorErr ??= colored(process.stderr));
    },
    get terminal() {
      return process.stdout.isTTY === true;
    },
    onSignal: (handler) => {
      let received = 0;
      const give = () => {
        process.off('SIGINT', listener);
        process.off('SIGTERM', listener);
      };
      function listener(signal: NodeJS.Signals) {
        received++;
        if (received === 1) return handler(signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
        // Asked twice: the process ends as the signal would have ended it.
        give();
        process.kill(process.pid, signal);
      }
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
      return give;
    },
    ...nodeReader(),
    writeFileAtomic: writeFileSafely,
  };
}
