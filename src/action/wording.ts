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
];

export function inputWording(text: string): string {
  let out = text;
  for (const [pattern, replacement] of INPUTS) out = out.replace(pattern, replacement);
  return out;
}

export function forAction(finding: Finding): Finding {
  return { ...finding, message: inputWording(finding.message), ...(finding.hint ? { hint: inputWording(finding.hint) } : {}) };
}
