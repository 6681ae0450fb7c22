/** `compose-voldriver schema NAME`: print a JSON Schema, for editors and other tools. */
import { Command } from 'commander';
import { InputError } from '../findings.js';
import type { IO } from '../io.js';
import { schemaText } from '../schema/validate.js';
import { didYouMean } from '../suggest.js';
import { EXIT, type CommandResult } from './shared.js';

export const SCHEMA_NAMES = ['policy', 'compose', 'swarm'];

export function schemaCommand(io: IO, done: CommandResult): Command {
  return new Command('schema')
    .description(`print a JSON Schema: ${SCHEMA_NAMES.join(', ')}`)
    .argument('<name>', SCHEMA_NAMES.join(' | '))
    .addHelpText(
      'after',
      `
Examples:
  $ compose-voldriver schema policy > voldriver.schema.json
  # then, first line of voldriver.yml:  # yaml-language-server: $schema=./voldriver.schema.json`,
    )
    .action((name: string) => {
      if (!SCHEMA_NAMES.includes(name)) throw new InputError(`unknown schema "${name}"${didYouMean(name, SCHEMA_NAMES)}; schemas: ${SCHEMA_NAMES.join(', ')}`);
      io.stdout(schemaText(name));
      return done(EXIT.ok);
    });
}
