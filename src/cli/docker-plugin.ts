/**
 * The Docker CLI plugin: `compose-voldriver docker-plugin install` writes `docker-voldriver` into the docker
 * config's cli-plugins folder, so `docker voldriver deploy ...` works. Docker first runs the plugin with
 * `docker-cli-plugin-metadata`, then with its own arguments (global options, `voldriver`, the rest); the plugin
 * then uses the docker CLI's context, as docker would.
 */
import { chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { InputError } from '../findings.js';
import type { IO } from '../io.js';
import { EXIT, type CommandResult } from './shared.js';
import { makeDirectories } from '../node-write.js';
import { systemReason } from '../node-errors.js';

export const PLUGIN_NAME = 'voldriver';
/** The hidden first argument the installed plugin runs the CLI with. */
export const PLUGIN_ENTRY = 'docker-cli-plugin';

export function pluginMetadata(version: string): string {
  return `${JSON.stringify({
    SchemaVersion: '0.1.0',
    Vendor: 'compose-voldriver',
    Version: version,
    ShortDescription: 'Deploy stacks with volume drivers checked against the Swarm (compose-voldriver)',
  })}\n`;
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export function pluginScript(node: string, cli: string): string {
  return `#!/bin/sh\n# docker voldriver: written by \`compose-voldriver docker-plugin install\`.\nexec ${quote(node)} ${quote(cli)} ${PLUGIN_ENTRY} "$@"\n`;
}

export function dockerPluginCommand(io: IO, done: CommandResult): Command {
  const command = new Command('docker-plugin').description('install compose-voldriver as a Docker CLI plugin: docker voldriver deploy ...');
  command
    .command('install')
    .description('write docker-voldriver into $DOCKER_CONFIG/cli-plugins (default ~/.docker/cli-plugins)')
    .option('--dir <path>', 'the cli-plugins folder to write to')
    .action((flags: { dir?: string }) => {
      const config = io.env.DOCKER_CONFIG || join(io.env.HOME || homedir(), '.docker');
      const dir = resolve(io.cwd, flags.dir ?? join(config, 'cli-plugins'));
      const cli = process.argv[1];
      if (!cli) throw new InputError('cannot tell where compose-voldriver is installed');
      const target = join(dir, `docker-${PLUGIN_NAME}`);
      try {
        makeDirectories(dir);
      } catch (error) {
        throw new InputError(`cannot create ${dir}: ${systemReason(error)}`);
      }
      io.writeFileAtomic(target, pluginScript(process.execPath, resolve(cli)));
      chmodSync(target, 0o755);
      io.stdout(`installed ${target}\ntry: docker ${PLUGIN_NAME} deploy --help\n`);
      done(EXIT.ok);
    });
  return command;
}

/** Global docker options that take a value, as the plugin receives them before `voldriver`. */
const VALUED = new Set(['-c', '--context', '-H', '--host', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey']);

/**
 * The arguments docker ran the plugin with, turned into this CLI's arguments and environment: `--context` and
 * `-H` become what the deploy's connection reads, `--config` DOCKER_CONFIG.
 */
export function pluginInvocation(args: string[], env: Record<string, string | undefined>): { argv: string[]; env: Record<string, string | undefined> } {
  const out = { ...env };
  let index = 0;
  while (index < args.length && args[index] !== PLUGIN_NAME) {
    const arg = args[index];
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined;
    if (VALUED.has(name)) {
      value = eq > 0 ? arg.slice(eq + 1) : args[++index];
    }
    if (name === '-c' || name === '--context') {
      out.DOCKER_CONTEXT = value;
      delete out.DOCKER_HOST;
    } else if (name === '-H' || name === '--host') {
      out.DOCKER_HOST = value;
      delete out.DOCKER_CONTEXT;
    } else if (name === '--config') {
      out.DOCKER_CONFIG = value;
    } else if (name === '--tlsverify') {
      out.DOCKER_TLS_VERIFY = '1';
    } else if (name === '--tls') {
      out.DOCKER_TLS = '1';
    }
    index++;
  }
  return { argv: args.slice(index + 1), env: out };
}
