/** `compose-voldriver validate`: check the stack and the policy, write nothing. */
import { Command, Option } from 'commander';
import type { IO } from '../io.js';
import { renderStack } from '../index.js';
import { formatFindings, formatSummary, type FindingsFormat } from '../report/findings.js';
import { redactFindings } from '../report/redact.js';
import { addStackOptions, stackOptions, type StackFlags } from './inputs.js';
import { EXIT, exitFor, sarifText, styleFor, type CommandResult } from './shared.js';

interface ValidateFlags extends StackFlags {
  format: FindingsFormat | 'sarif';
  strict?: boolean;
  showSecrets?: boolean;
}

export function validateCommand(io: IO, done: CommandResult): Command {
  const command = new Command('validate')
    .description('check the compose files and the policy, and run every check, without writing anything')
    .addOption(new Option('--format <format>', 'text, json, github (workflow commands) or sarif (SARIF 2.1.0, on stdout)').choices(['text', 'json', 'github', 'sarif']).default('text'))
    .option('--strict', 'treat warnings as failures (exit 1)')
    .option('--show-secrets', 'show credential values in findings instead of ***');
  addStackOptions(command).addHelpText(
    'after',
    `
Examples:
  $ compose-voldriver validate -f compose.yml
  $ compose-voldriver validate -f stack.yml --policy voldriver.yml --env prod --format github
  $ compose-voldriver validate -f stack.yml --env prod --format sarif > results.sarif`,
  );
  return command.action((flags: ValidateFlags) => {
    const style = styleFor(io);
    const result = renderStack(stackOptions(flags, io));
    const shown = redactFindings(result.findings, flags.showSecrets ? [] : result.secrets);
    if (flags.format === 'sarif') io.stdout(sarifText(io, { environment: flags.env, findings: shown, file: result.inputName }));
    else io.stderr(formatFindings(shown, flags.format, style));
    const code = exitFor(result.findings, flags.strict);
    if (flags.format === 'text') io.stderr(`${code === EXIT.ok ? 'ok: ' : ''}${formatSummary(result.findings, style)}\n`);
    return done(code);
  });
}
