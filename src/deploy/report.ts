/** What a deploy found and did: what the CLI prints, as text or as one JSON document. */
import type { VolumeState } from './drift.js';
import type { DeployFinding, EngineSummary } from './preflight.js';
import type { WaitResult } from './wait.js';

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
  interrupted?: 'SIGINT' | 'SIGTERM';
  /** 130 and 143: interrupted by SIGINT and SIGTERM, as a shell reports a process they end. */
  exitCode: 0 | 1 | 3 | 130 | 143;
}

