/** `compose-voldriver validate`: check the stack and the policy, write nothing. */
import { Command, Option } from 'commander';
import type { IO } from '../io.js';
import { renderStack } from '../index.js';
import { findingJson, formatSummary, type FindingsFormat } from '../report/findings.js';
import { printableJson } from '../report/printable.js';
import { redactFindings } from '../report/redact.js';
import { addStackOptions, chosenEnvironments, stackOptions, type ManyEnvironmentFlags } from './inputs.js';
import { EXIT, exitFor, findingsText, sarifLogText, styleFor, type CommandResult } from './shared.js';

interface ValidateFlags extends ManyEnvironmentFlags {
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
  addStackOptions(command, { environments: 'many' }).addHelpText(
    'after',
    `
Examples:
  $ compose-voldriver validate -f compose.yml
  $ compose-voldriver validate -f stack.yml --policy voldriver.yml --env prod --format github
  $ compose-voldriver validate -f stack.yml --all-environments      # each environment of the policy, worst exit
  $ compose-voldriver validate -f stack.yml --env prod --format sarif > results.sarif`,
  );
  return command.action((flags: ValidateFlags) => {
    const style = styleFor(io, 'stderr');
    const environments = chosenEnvironments(flags, io);
    const runs = environments.map((env) => {
      const result = renderStack(stackOptions({ ...flags, env }, io));
      const findings = redactFindings(result.findings, flags.showSecrets ? [] : result.secrets, result.plans);
      return { env, result, findings, code: exitFor(result.findings, flags.strict) };
    });
    const several = runs.length > 1;
    // With several environments each finding says which one it is from.
    const tagged = runs.flatMap(({ env, findings }) => (several ? findings.map((f) => ({ ...f, message: `[${env}] ${f.message}` })) : findings));
    if (flags.format === 'sarif') {
      io.stdout(sarifLogText(io, runs.map(({ env, findings, result }) => ({ environment: env, findings, file: result.inputName }))));
    } else if (flags.format === 'json' && several) {
      io.stderr(printableJson(runs.flatMap(({ env, findings }) => findings.map((f) => ({ environment: env, ...findingJson(f) })))));
    } else io.stderr(findingsText(io, tagged, flags.format, style));
    const code = Math.max(...runs.map((run) => run.code));
    if (flags.format === 'text') {
      if (several) for (const run of runs) io.stderr(`${run.env}: ${run.code === EXIT.ok ? 'ok: ' : ''}${formatSummary(run.result.findings, style)}\n`);
      else io.stderr(`${code === EXIT.ok ? 'ok: ' : ''}${formatSummary(runs[0].result.findings, style)}\n`);
    }
    return done(code);
  });
}
