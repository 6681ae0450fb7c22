/** `compose-voldriver policy [NAME]`: list the built-in policies or print one, to start a policy file from. */
import { own } from '../own.js';
import { Command } from 'commander';
import { InputError } from '../findings.js';
import type { IO } from '../io.js';
import { loadBuiltinPolicy } from '../policies/load.js';
import { builtinPolicies } from '../policies/presets/index.js';
import { didYouMean } from '../suggest.js';
import { EXIT, type CommandResult } from './shared.js';

export function policyCommand(io: IO, done: CommandResult): Command {
  return new Command('policy')
    .description('list the built-in policies, or print one as YAML')
    .argument('[name]', 'a built-in policy name (default, aws, nfs, glusterfs, portworx)')
    .addHelpText(
      'after',
      `
Examples:
  $ compose-voldriver policy
  $ compose-voldriver policy aws > voldriver.yml`,
    )
    .action((name?: string) => {
      if (name === undefined) {
        for (const key of Object.keys(builtinPolicies)) {
          const policy = loadBuiltinPolicy(`builtin:${key}`);
          io.stdout(`builtin:${key.padEnd(10)} ${policy.data.description ?? ''}\n`);
        }
        return done(EXIT.ok);
      }
      const key = name.replace(/^builtin:/, '');
      const text = own(builtinPolicies, key);
      if (text === undefined) throw new InputError(`unknown built-in policy "${key}"${didYouMean(key, Object.keys(builtinPolicies))}`);
      io.stdout(text);
      return done(EXIT.ok);
    });
}
