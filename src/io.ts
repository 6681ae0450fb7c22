/** A signal that ends a process unless it is taken, or (SIGPIPE) an output that went away. */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGQUIT' | 'SIGPIPE';

/** Everything the commands need from the outside world, passed in so tests can give fakes. */
export interface IO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Colour on stdout (a terminal, and NO_COLOR unset). */
  color: boolean;
  /** Colour on stderr, which may be a terminal when stdout is not, or the reverse; as `color` when not given. */
  colorErr?: boolean;
  /** Whether stdout is a terminal (deploy waits by default there, with a live view). */
  terminal?: boolean;
  readFile(path: string): string;
  readStdin(): string;
  exists(path: string): boolean;
  /** Anything at the path, a symbolic link to nothing included (FileReader.present). */
  present?(path: string): boolean;
  isDirectory(path: string): boolean;
  /**
   * Takes the signals that would end the process (SIGINT, SIGTERM, SIGHUP, SIGQUIT) instead of the process ending
   * on the first one; a second one (but SIGHUP, which a closing session sends more than once) ends the process as
   * the signal would. An output that goes away meanwhile (a
   * closed pipe, a hung-up terminal) is told as SIGPIPE or SIGHUP, and what is written to it later is dropped.
   * Returns the function that gives them back.
   */
  onSignal?(handler: (signal: StopSignal) => void): () => void;
  /** Write a file as an editor saves one (see node-write.ts): whole or not at all, keeping links, mode and owner. */
  writeFileAtomic(path: string, text: string): void;
}
