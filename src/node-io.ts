/** The real IO: files, streams and environment of this process. */
import { EXIT, InputError } from './findings.js';
import type { IO, StopSignal } from './io.js';
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
      if (lose(stream, error)) return;
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

/** The signals that end a process unless taken: from a terminal (Ctrl-C, Ctrl-\\, a hang-up), a CI runner, kill. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

/** While a command takes the signals (onSignal), an output going away is told to it instead of ending the process. */
let outputLost: ((signal: StopSignal) => void) | undefined;
/** Standard streams whose reader has gone while a command took the signals: what is written to them is dropped. */
const lostStreams = new Set<NodeJS.WriteStream>();

/**
 * A closed pipe (EPIPE, as SIGPIPE) or a hung-up terminal (EIO, as SIGHUP) while a command takes the signals: the
 * command is told, to stop cleanly, and the stream is given up. Whether it was handled so.
 */
function lose(stream: NodeJS.WriteStream, error: unknown): boolean {
  if (lostStreams.has(stream)) return true;
  const code = (error as NodeJS.ErrnoException).code;
  if (outputLost === undefined || (code !== 'EPIPE' && code !== 'EIO')) return false;
  lostStreams.add(stream);
  outputLost(code === 'EPIPE' ? 'SIGPIPE' : 'SIGHUP');
  return true;
}

/** Writes to a standard stream; a file behind it fails at once (a synchronous write), a pipe or terminal later. */
function write(stream: NodeJS.WriteStream, text: string): void {
  if (lostStreams.has(stream)) return;
  written.add(stream);
  try {
    guarded(stream).write(text);
  } catch (error) {
    if (lose(stream, error)) return;
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
        for (const signal of STOP_SIGNALS) process.off(signal, listener);
        if (outputLost === lost) outputLost = undefined;
      };
      function listener(signal: NodeJS.Signals) {
        received++;
        if (received === 1) return handler(signal as StopSignal);
        // A closing session hangs up more than once (the shell passes SIGHUP on to its jobs, and the kernel sends it
        // to the terminal's foreground group as the shell exits): no one asked twice, and the stop goes on.
        if (signal === 'SIGHUP') return;
        // Asked twice: the process ends as the signal would have ended it.
        give();
        process.kill(process.pid, signal);
      }
      // The output going away stops the command as a first signal does; it never counts as the second.
      function lost(signal: StopSignal) {
        if (received++ === 0) handler(signal);
      }
      for (const signal of STOP_SIGNALS) process.on(signal, listener);
      outputLost = lost;
      return give;
    },
    ...nodeReader(),
    writeFileAtomic: writeFileSafely,
  };
}
