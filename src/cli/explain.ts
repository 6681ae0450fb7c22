/** `compose-voldriver explain`: per volume, what it becomes and why. */
import { Command, Option } from 'commander';
import type { IO } from '../io.js';
import { renderStack } from '../index.js';
import { explainJson, explainText } from '../report/explain.js';
import { mermaidDiagram } from '../report/mermaid.js';
import { redactFindings } from '../report/redact.js';
import { addStackOptions, stackOptions, type StackFlags } from './inputs.js';
import { exitFor, styleFor, type CommandResult } from './shared.js';

interface ExplainFlags extends StackFlags {
  format: 'text' | 'json' | 'mermaid';
  showSecrets?: boolean;
}

export function explainCommand(io: IO, done: CommandResult): Command {
  const command = new Command('explain')
    .description('show, per volume, its class and why, driver, options, attach mode, the services that mount it, and findings')
    .addOption(new Option('--format <format>', 'text, json, or mermaid (a flowchart: services -> volumes -> classes -> drivers)').choices(['text', 'json', 'mermaid']).default('text'))
    .option('--show-secrets', 'show credential option values instead of ***');
  addStackOptions(command).addHelpText(
    'after',
    `
Examples:
  $ compose-voldriver explain -f compose.yml
  $ compose-voldriver explain -f stack.yml --policy builtin:aws --set zone=us-east-1a --format json
  $ compose-voldriver explain -f stack.yml --env prod --format mermaid`,
  );
  return command.action((flags: ExplainFlags) => {
    const result = renderStack(stackOptions(flags, io));
    const options = { showSecrets: flags.showSecrets, env: flags.env, policy: result.policy };
    const findings = redactFindings(result.findings, flags.showSecrets ? [] : result.secrets);
    if (flags.format === 'mermaid') io.stdout(mermaidDiagram([{ title: flags.env ? `environment ${flags.env}` : 'no environment', plans: result.plans, findings }]));
    else if (flags.format === 'json') io.stdout(JSON.stringify(explainJson(result.plans, findings, options), null, 2) + '\n');
    else io.stdout(explainText(result.plans, findings, options, styleFor(io)));
    return done(exitFor(result.findings));
  });
}
