/** `compose-voldriver drivers [NAME]`: the driver catalog. */
import { Command, Option } from 'commander';
import { InputError } from '../findings.js';
import type { IO } from '../io.js';
import { builtinDrivers, findDriver } from '../policies/catalog/index.js';
import { loadPolicyText } from '../policies/load.js';
import { driverDetails, driversTable } from '../report/drivers.js';
import { printableJson } from '../report/printable.js';
import { didYouMean } from '../suggest.js';
import { requireFileName } from './inputs.js';
import { EXIT, styleFor, type CommandResult } from './shared.js';

export function driversCommand(io: IO, done: CommandResult): Command {
  return new Command('drivers')
    .description('list the volume drivers the checks know, or show one with its options')
    .argument('[name]', 'driver name, e.g. rexray/ebs, pxd, local')
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'))
    .option('--policy <path>', 'also list the custom drivers the policy describes under drivers:')
    .addHelpText(
      'after',
      `
Examples:
  $ compose-voldriver drivers
  $ compose-voldriver drivers rexray/ebs
  $ compose-voldriver drivers pxd --format json
  $ compose-voldriver drivers --policy voldriver.yml`,
    )
    .action((name: string | undefined, flags: { format: string; policy?: string }) => {
      const style = styleFor(io);
      requireFileName('--policy', flags.policy);
      const text = flags.policy === undefined ? undefined : flags.policy === '-' ? io.readStdin() : io.readFile(flags.policy);
      const custom = text !== undefined ? (loadPolicyText(text, flags.policy!).data.drivers ?? []) : [];
      const all = [...custom, ...builtinDrivers];
      if (name === undefined) {
        io.stdout(flags.format === 'json' ? printableJson(all) : driversTable(all, style));
        return done(EXIT.ok);
      }
      const driver = findDriver(name, custom);
      if (!driver) {
        const names = all.flatMap((d) => [d.name, ...(d.aliases ?? [])]);
        throw new InputError(`unknown driver "${name}"${didYouMean(name, names)}; \`compose-voldriver drivers\` lists them`);
      }
      io.stdout(flags.format === 'json' ? printableJson(driver) : driverDetails(driver, style));
      return done(EXIT.ok);
    });
}

