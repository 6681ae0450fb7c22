/** `compose-voldriver drivers [NAME]`: the driver catalog. */
import { Command } from 'commander';
import { InputError } from '../findings.js';
import type { IO } from '../io.js';
import { builtinDrivers, findDriver } from '../policies/catalog/index.js';
import { driverDetails, driversTable } from '../report/drivers.js';
import { didYouMean } from '../suggest.js';
import { EXIT, styleFor, type CommandResult } from './shared.js';

export function driversCommand(io: IO, done: CommandResult): Command {
  return new Command('drivers')
    .description('list the volume drivers the checks know, or show one with its options')
    .argument('[name]', 'driver name, e.g. rexray/ebs, pxd, local')
    .option('--format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      `
Examples:
  $ compose-voldriver drivers
  $ compose-voldriver drivers rexray/ebs
  $ compose-voldriver drivers pxd --format json`,
    )
    .action((name: string | undefined, flags: { format: string }) => {
      const style = styleFor(io);
      if (name === undefined) {
        io.stdout(flags.format === 'json' ? JSON.stringify(builtinDrivers, null, 2) + '\n' : driversTable(builtinDrivers, style));
        return done(EXIT.ok);
      }
      const driver = findDriver(name);
      if (!driver) {
        const names = builtinDrivers.flatMap((d) => [d.name, ...(d.aliases ?? [])]);
        throw new InputError(`unknown driver "${name}"${didYouMean(name, names)}; \`compose-voldriver drivers\` lists them`);
      }
      io.stdout(flags.format === 'json' ? JSON.stringify(driver, null, 2) + '\n' : driverDetails(driver, style));
      return done(EXIT.ok);
    });
}
