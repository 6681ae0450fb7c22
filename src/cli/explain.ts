/** `compose-voldriver explain`: per volume, what it becomes and why. */
import { Command, Option } from 'commander';
import type { IO } from '../io.js';
import { renderStack } from '../index.js';
import { explainJson, explainTable, explainText } from '../report/explain.js';
import { mermaidDiagram, mermaidTooLarge } from '../report/mermaid.js';
import { printableJson } from '../report/printable.js';
import { redactFindings } from '../report/redact.js';
import { addStackOptions, chosenEnvironments, stackOptions, type ManyEnvironmentFlags } from './inputs.js';
import { exitFor, styleFor, type CommandResult } from './shared.js';

interface ExplainFlags extends ManyEnvironmentFlags {
  format: 'text' | 'json' | 'mermaid';
  showSecrets?: boolean;
}

export function explainCommand(io: IO, done: CommandResult): Command {
  const command = new Command('explain')
    .description('show, per volume, its class and why, driver, options, attach mode, the services that mount it, and findings')
    .addOption(new Option('--format <format>', 'text, json, or mermaid (a flowchart: services -> volumes -> classes -> drivers)').choices(['text', 'json', 'mermaid']).default('text'))
    .option('--show-secrets', 'show credential option values instead of ***');
  addStackOptions(command, { environments: 'many' }).addHelpText(
    'after',
    `
Examples:
  $ compose-voldriver explain -f compose.yml
  $ compose-voldriver explain -f stack.yml --policy builtin:aws --set zone=us-east-1a --format json
  $ compose-voldriver explain -f stack.yml --env prod --format mermaid
  $ compose-voldriver explain -f stack.yml --all-environments      # a volume x environment table`,
  );
  return command.action((flags: ExplainFlags) => {
    const runs = chosenEnvironments(flags, io).map((env) => {
      const result = renderStack(stackOptions({ ...flags, env }, io));
      return { env, result, plans: result.plans, findings: redactFindings(result.findings, flags.showSecrets ? [] : result.secrets, result.plans) };
    });
    const policy = runs[0].result.policy;
    const options = (env: string | undefined) => ({ showSecrets: flags.showSecrets, env, policy });
    const title = (env: string | undefined) => (env ? `environment ${env}` : 'no environment');
    if (flags.format === 'mermaid') {
      const diagram = mermaidDiagram(runs.map((run) => ({ title: title(run.env), plans: run.plans, findings: run.findings })));
      io.stdout(diagram);
      // Printed all the same (a renderer whose limits are raised draws it), but not without saying GitHub shows an error instead.
      const over = mermaidTooLarge(diagram);
      if (over) io.stderr(`warning: the diagram has ${over}: GitHub and Mermaid with its default settings show an error instead of it; explain fewer environments or a smaller stack, or draw it with raised maxEdges and maxTextSize (mermaid-cli --configFile)\n`);
    }
    else if (flags.format === 'json') {
      const json = runs.map((run) => explainJson(run.plans, run.findings, options(run.env)));
      io.stdout(printableJson(runs.length > 1 ? { policy, environments: json } : json[0]));
    } else if (runs.length > 1) io.stdout(explainTable(runs, { showSecrets: flags.showSecrets, policy }, styleFor(io)));
    else io.stdout(explainText(runs[0].plans, runs[0].findings, options(runs[0].env), styleFor(io)));
    return done(Math.max(...runs.map((run) => exitFor(run.result.findings))));
  });
}
