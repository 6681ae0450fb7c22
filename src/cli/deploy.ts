/**
 * `compose-voldriver deploy STACK`: render for Swarm, check against the live engine, run `docker stack deploy`,
 * wait. The engine side (src/deploy, with dockerode) is a bundle of its own, loaded only here.
 */
import { homedir } from 'node:os';
import { Command, Option } from 'commander';
import { InputError } from '../findings.js';
import type { IO } from '../io.js';
import { readRegularFile } from '../node-reader.js';
import { renderStack } from '../index.js';
import { formatFindings, formatSummary } from '../report/findings.js';
import { redactFindings, redactText } from '../report/redact.js';
import { printableJson, printableLine } from '../report/printable.js';
import { addStackOptions, stackOptions, type StackFlags } from './inputs.js';
import { EXIT, exitFor, styleFor, type CommandResult } from './shared.js';

interface DeployFlags extends StackFlags {
  context?: string;
  dryRun?: boolean;
  allowDrift?: boolean;
  wait?: boolean;
  detach?: boolean;
  timeout: string;
  monitor: string;
  format: 'text' | 'json';
  withRegistryAuth?: boolean;
  prune?: boolean;
  resolveImage?: string;
  showSecrets?: boolean;
  confirmExternal: string[];
}

/** 0 converged (or deployed with --detach, or a dry run that would go ahead); 1 refused or failed; 2 input; 3 timed out. */
export const DEPLOY_EXIT = { ...EXIT, timeout: 3 } as const;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `5m`, `90s`, `1m30s`, `1h`; a bare number is seconds. */
export function parseDuration(text: string, option = '--timeout'): number {
  const trimmed = text.trim();
  const parts = /^\d+(\.\d+)?$/.test(trimmed) ? [[trimmed, trimmed, 's']] : [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new InputError(`${option}: "${text}" is not a duration (like 90s, 5m, 1m30s)`);
  }
  const ms = parts.reduce((sum, part) => sum + Number(part[1]) * UNITS[part[2]], 0);
  if (option !== '--timeout') return ms;
  // No time at all: the wait would give up before its first look, once the stack was deployed.
  if (ms <= 0) throw new InputError(`--timeout: "${text}" is no time: --wait would time out (exit 3) at once, after deploying`, undefined, 'give how long to wait (90s, 5m), or use --detach not to wait');
  return ms;
}

/** Docker's own files (config, context meta, TLS) through the one reader: a FIFO or a device there never hangs deploy. */
function readIfExists(path: string): string | undefined {
  try {
    return readRegularFile(path, path);
  } catch {
    return undefined;
  }
}

export function deployCommand(io: IO, done: CommandResult): Command {
  const command = new Command('deploy')
    .description('render the stack for Swarm, check it against the live engine (drivers, drift, external volumes), then docker stack deploy and wait')
    .argument('<stack>', 'stack name (also the project name: volumes become <stack>_<volume>)')
    .argument('[docker-args...]', 'after --: further docker stack deploy arguments')
    .option('--context <name>', 'docker context to use (default: DOCKER_HOST, DOCKER_CONTEXT, then the current context)')
    .option('--dry-run', 'print the plan and the preflight; change nothing')
    .option('--allow-drift', 'deploy even when a volume\'s driver or options differ from what runs (Docker keeps the old volume)')
    .option('--wait', 'wait until every service runs (the default on a terminal)')
    .option('--detach', 'return once docker stack deploy has returned')
    .option('--timeout <duration>', 'how long --wait waits (90s, 5m, 1h)', '5m')
    .option('--monitor <duration>', 'how long --wait watches each service keep running, the same tasks, before it counts (0 for not at all)', '5s')
    .addOption(new Option('--format <format>', 'output: text or json (one document on stdout)').choices(['text', 'json']).default('text'))
    .option('--with-registry-auth', 'passed to docker stack deploy')
    .option('--prune', 'passed to docker stack deploy')
    .addOption(new Option('--resolve-image <mode>', 'passed to docker stack deploy').choices(['always', 'changed', 'never']))
    .option('--show-secrets', 'show credential values in options instead of ***')
    .option(
      '--confirm-external <volume>',
      'an external volume that exists on the nodes its services run on, other than the engine\'s own, whose volumes the preflight cannot see; repeatable',
      (value: string, previous: string[]) => [...previous, value],
      [],
    );
  addStackOptions(command).addHelpText(
    'after',
    `
Examples:
  $ compose-voldriver deploy shop -f stack.yml --env prod
  $ compose-voldriver deploy shop -f stack.yml --dry-run
  $ compose-voldriver deploy shop -f stack.yml --context prod --timeout 10m -- --with-registry-auth

Exit codes: 0 converged, 1 refused by the preflight or a task failed or crashed, 2 unusable input, 3 timed out,
128 + the signal when stopped by one (129 SIGHUP, 130 SIGINT, 131 SIGQUIT, 141 output closed, 143 SIGTERM).`,
  );
  return command.action(async (stack: string, extra: string[], flags: DeployFlags, self: Command) => {
    if (self.getOptionValueSource('target') === 'cli' && flags.target !== 'swarm') throw new InputError('deploy always renders for the swarm target; drop --target');
    if (flags.projectName !== undefined && flags.projectName !== stack) {
      throw new InputError(`the stack name is the project name: got stack "${stack}" and --project-name "${flags.projectName}"`);
    }
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/.test(stack)) {
      throw new InputError(`"${stack}" is not a valid stack name: Swarm names its services and networks <stack>_<name>, which take letters, digits, _ and - only`);
    }
    if (flags.wait && flags.detach) throw new InputError('use either --wait or --detach, not both');
    const timeoutMs = parseDuration(flags.timeout);
    const monitorMs = parseDuration(flags.monitor, '--monitor');
    if (flags.detach && self.getOptionValueSource('monitor') === 'cli') throw new InputError('--monitor is how long --wait watches the services; --detach does not wait');
    if (monitorMs >= timeoutMs) {
      throw new InputError(
        `--monitor ${flags.monitor} is not shorter than --timeout ${flags.timeout}: --wait would time out (exit 3) before a service could count as running`,
        undefined,
        'give a longer --timeout, or a shorter --monitor',
      );
    }
    const style = styleFor(io);
    // Resolved: one interpolated file, so what .env says is in it (docker stack deploy reads no .env).
    const rendered = renderStack({ ...stackOptions(flags, io), target: 'swarm', resolve: true, projectName: stack });
    // Unusable input: every finding at once, as render shows them, and nothing asked of the engine.
    if (exitFor(rendered.findings) === EXIT.input) {
      const shown = redactFindings(rendered.findings, flags.showSecrets ? [] : rendered.secrets, rendered.plans);
      io.stderr(formatFindings(shown, flags.format, style));
      if (flags.format === 'text') io.stderr(`${formatSummary(rendered.findings, style)}; nothing deployed\n`);
      return done(EXIT.input);
    }
    const wait = flags.detach ? false : flags.wait ? true : io.terminal === true;
    const json = flags.format === 'json';
    const lib = await import('../deploy/index.js');
    const showSecrets = flags.showSecrets === true;
    // Everything deploy prints from here on passes one redaction: the report, the progress lines (a task's error
    // quotes the engine, and the local driver's mount error quotes the mount options, password and all), docker's
    // own output and the engine's messages.
    const hide = (text: string) => (showSecrets ? text : redactText(text, rendered.secrets));
    const stdout = (text: string) => io.stdout(hide(text));
    const stderr = (text: string) => io.stderr(hide(text));
    const live = io.terminal === true && !json;
    let shown: string[] = [];
    const home = io.env.HOME || homedir();
    const docker = io.env.DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND || 'docker';
    let report;
    try {
      report = await lib.deployStack(
        {
          stack,
          rendered,
          context: flags.context,
          dryRun: flags.dryRun === true,
          allowDrift: flags.allowDrift === true,
          wait,
          timeoutMs,
          monitorMs,
          withRegistryAuth: flags.withRegistryAuth,
          prune: flags.prune,
          resolveImage: flags.resolveImage,
          extra,
          confirmExternal: flags.confirmExternal,
          docker,
        },
        {
          env: io.env,
          cwd: io.cwd,
          home,
          readFile: readIfExists,
          onSignal: io.onSignal
            ? (handler) =>
                io.onSignal!((signal) => {
                  const why = signal === 'SIGPIPE' ? 'SIGPIPE: the output was closed; stopping (a signal now quits' : `${signal}: stopping (${signal} once more quits`;
                  stderr(`${why} at once, which may leave part of the stack behind)\n`);
                  handler(signal);
                })
            : undefined,
          // With --format json, stdout carries the one JSON document: docker's own output goes to stderr.
          stdout: (text) => (json ? stderr(text) : stdout(text)),
          stderr: (text) => stderr(text),
          onPreflight: (early) => {
            if (!json) stdout(`${lib.engineLine(early)}\n${lib.formatPlan(early, style, showSecrets)}${lib.formatFindings(early, style, showSecrets)}`);
          },
          onProgress: (services) => {
            if (json) return;
            const lines = services.map(lib.progressLine);
            if (live) {
              const up = shown.length > 0 ? `\x1b[${shown.length}A` : '';
              stdout(`${up}${lines.map((line) => `\x1b[2K${line}`).join('\n')}\n`);
              shown = lines;
              return;
            }
            for (const [index, line] of lines.entries()) if (shown[index] !== line) stdout(`${line}\n`);
            shown = lines;
          },
        },
      );
    } catch (error) {
      // The engine side is a bundle of its own, with its own InputError class: known by name here.
      if (error instanceof Error && error.name === 'InputError') {
        const input = error as InputError;
        throw new InputError(input.message, input.location, input.hint);
      }
      // An Engine API call that failed says what it asked and why (EngineError, known by name here too).
      const hint = error instanceof Error && error.name === 'EngineError' ? (error as Error & { hint?: string }).hint : undefined;
      const message = `error talking to the Docker engine: ${(error as Error).message}`;
      if (json) stdout(printableJson({ stack, outcome: 'error', error: message, hint, exitCode: EXIT.findings }));
      else stderr(`${style.red('error')}: ${printableLine(message)}\n${hint ? `  fix: ${printableLine(hint)}\n` : ''}`);
      return done(EXIT.findings);
    }
    if (json) stdout(lib.reportJson(report, showSecrets));
    else if (report.outcome === 'refused' || report.outcome === 'planned') stdout(lib.formatReport(report, style, showSecrets));
    else stdout(lib.formatOutcome(report, style, showSecrets));
    return done(report.exitCode);
  });
}
