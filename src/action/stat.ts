/**
 * What is at a path the workflow gave: a folder or file, nothing, or why the system cannot say (a loop of symbolic
 * links, a name too long), in words. Node's statSync throws for the last, which would end the step as an internal
 * error with a stack trace.
 */
import { statSync, type Stats } from 'node:fs';
import { systemReason } from '../node-errors.js';

export interface PathState {
  /** Undefined when nothing is there, or a part of the path is a file. */
  stats?: Stats;
  /** Set when the system refused to look: why, in words. */
  reason?: string;
}

export function statPath(path: string): PathState {
  try {
    return { stats: statSync(path, { throwIfNoEntry: false }) };
  } catch (error) {
    return { reason: systemReason(error) };
  }
}
