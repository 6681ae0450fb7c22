/**
 * Findings as a workflow reads them: the library's hints name command-line flags (--set, --policy, --env-file);
 * in the Action the same thing is an input, or is not there at all.
 */
import type { Finding } from '../index.js';

const NAME = '[A-Za-z_][A-Za-z0-9_]*';

const INPUTS: readonly [RegExp, string][] = [
  [new RegExp(`\\bpass --set (${NAME})=VALUE\\b`, 'g'), 'add $1=VALUE to the set input'],
  [new RegExp(`^--set (${NAME}):`), 'set input, $1:'],
  [/\bpass --policy builtin:NAME\b/g, 'give the policy input builtin:NAME'],
  [/,? the \.env file or an --env-file\b/g, ' or the .env file'],
  [/: pass --env NAME\b/g, ': give the environment input'],
  [new RegExp(`--set (${NAME})= is empty\\b`, 'g'), '$1= in the set input is empty'],
  [/\bwith --profile or COMPOSE_PROFILES\b/g, "with COMPOSE_PROFILES in the step's env"],
  // The Action writes no resolved file of one compose file: the other way is the only one.
  [/, or render with --resolve to write a resolved file\b/g, ''],
  [/\bseveral files or --resolve write a resolved file\b/g, 'a stack of several files is written resolved'],
];

export function inputWording(text: string): string {
  let out = text;
  for (const [pattern, replacement] of INPUTS) out = out.replace(pattern, replacement);
  return out;
}

export function forAction(finding: Finding): Finding {
  return { ...finding, message: inputWording(finding.message), ...(finding.hint ? { hint: inputWording(finding.hint) } : {}) };
}
