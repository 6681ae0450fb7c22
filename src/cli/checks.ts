/** `compose-voldriver checks [CODE]`: every code a finding can carry, or what one catches and how to silence it. */
import { Command } from 'commander';
import { InputError } from '../findings.js';
import type { IO } from '../io.js';
import { findingRules } from '../index.js';
import { didYouMean } from '../suggest.js';
import { EXIT, styleFor, type CommandResult } from './shared.js';

export function checksCommand(io: IO, done: CommandResult): Command {
  return new Command('checks')
    .description('list the check and finding codes, or show what one catches and how to silence it')
    .argument('[code]', 'a check code, e.g. zone-unpinned')
    .addHelpText(
      'after',
      `
Examples:
  $ compose-voldriver checks
  $ compose-voldriver checks single-attach-replicated`,
    )
    .action((code?: string) => {
      const style = styleFor(io);
      if (code === undefined) {
        const width = Math.max(...findingRules.map((rule) => rule.code.length));
        for (const rule of findingRules) io.stdout(`${rule.code.padEnd(width)}  ${rule.severity.padEnd(7)}  ${rule.summary}\n`);
        return done(EXIT.ok);
      }
      const rule = findingRules.find((candidate) => candidate.code === code);
      if (!rule) {
        throw new InputError(`unknown check "${code}"${didYouMean(code, findingRules.map((r) => r.code))}; \`compose-voldriver checks\` lists them`);
      }
      io.stdout(`${style.bold(rule.code)} (${rule.severity})\n  ${rule.summary}\n`);
      if (rule.docs) {
        io.stdout(`  more: ${rule.docs}\n`);
        io.stdout(`  silence it for a volume with x-voldriver: { ignore: [${rule.code}] }, for a class or the policy with checks: { ${rule.code}: off }\n`);
      }
      return done(EXIT.ok);
    });
}
