/** What a deploy found and did: what the CLI prints, as text or as one JSON document. */
import type { VolumeState } from './drift.js';
import type { DeployFinding, EngineSummary } from './preflight.js';
import type { WaitResult } from './wait.js';

/**
 * What stops a deploy as it goes: the signals that end a process unless taken (a terminal's Ctrl-C, Ctrl-\\ or
 * hang-up, a CI runner cancelling, kill), and SIGPIPE for its output going away (a closed pipe).
 */
export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGQUIT' | 'SIGPIPE';

/** The exit code of a process ended by the signal, as shells report it: 128 + the signal's number. */
export const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGQUIT: 131, SIGPIPE: 141, SIGTERM: 143 } as const;

export type DeployOutcome = 'refused' | 'planned' | 'deployed' | 'deploy-failed' | 'converged' | 'failed' | 'timeout' | 'interrupted';

export interface DeployReport {
  stack: string;
  engine: EngineSummary;
  volumes: VolumeState[];
  findings: DeployFinding[];
  dryRun: boolean;
  outcome: DeployOutcome;
  /** docker stack deploy's exit code, when it ran. */
  deployExit?: number;
  /** After a failed docker stack deploy: what it had created and was removed again. */
  undone?: string[];
  wait?: WaitResult;
  /** Secret option keys per volume, for whoever shows the options. */
  secretOptions: Record<string, string[]>;
  secrets: string[];
  /** The signal that interrupted the deploy (outcome `interrupted`). */
  interrupted?: InterruptSignal;
  /** 128 + the signal's number when interrupted (129 SIGHUP ... 143 SIGTERM), as a shell reports a process it ends. */
  exitCode: 0 | 1 | 3 | (typeof SIGNAL_EXIT)[InterruptSignal];
}

