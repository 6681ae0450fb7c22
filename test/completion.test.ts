/**
 * Shell completion: the scripts parse in their shells, and bash, driven as it drives a completion function
 * (COMP_LINE, COMP_POINT, COMP_WORDS, COMP_CWORD), completes the commands and options the program really has.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, main } from '../src/cli/program.js';
import { testIO } from './helpers/io.js';

async function run(args: string[], cwd?: string) {
  const io = testIO({ cwd });
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

/** A shell on PATH; in CI its absence is a failure (scripts/test-deps.sh installs it), locally the test skips. */
function shell(name: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
  if (!found && process.env.CI) throw new Error(`${name} not found on PATH: CI must have it (scripts/test-deps.sh installs it)`);
  return found;
}

const program = buildProgram(testIO(), () => {});
const commandNames = program.commands.map((command) => command.name());
const bin = resolve('bin/compose-voldriver.cjs');

async function script(name: string): Promise<string> {
  const result = await run(['completion', name]);
  expect(result.code, result.err).toBe(0);
  return result.out;
}

describe('completion scripts parse in their shells', () => {
  for (const [name, check] of [
    ['bash', ['bash', '-n']],
    ['zsh', ['zsh', '-n']],
    ['fish', ['fish', '--no-execute']],
  ] as const) {
    it.skipIf(!shell(check[0]))(`${name}: ${check.join(' ')}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cv-completion-'));
      const file = join(dir, `script.${name}`);
      writeFileSync(file, await script(name));
      const result = spawnSync(check[0], [check[1], file], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
    });
  }

  it('an unknown shell is refused', async () => {
    const result = await run(['completion', 'tcsh']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/unknown shell "tcsh"/);
  });
});

describe('bash completes', () => {
  /** Completions bash's completion function gives for a command line, cursor at its end. */
  async function complete(lines: string[], cwd = process.cwd()): Promise<string[][]> {
    const dir = mkdtempSync(join(tmpdir(), 'cv-completion-'));
    const file = join(dir, 'compose-voldriver.bash');
    writeFileSync(file, await script('bash'));
    const driver = [
      `source ${JSON.stringify(file)}`,
      // What bash sets before calling a completion function; it splits words at ':' too.
      `COMP_WORDBREAKS=$' \\t\\n"\\'><=;|&(:'`,
      'while IFS= read -r line; do',
      '  COMP_LINE="$line"; COMP_POINT=${#line}',
      '  read -r -a COMP_WORDS <<< "$line"; [[ "$line" == *" " ]] && COMP_WORDS+=("")',
      '  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))',
      '  COMPREPLY=()',
      '  _compose_voldriver compose-voldriver "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"',
      '  printf "%s\\n" "${COMPREPLY[*]}"',
      'done',
    ].join('\n');
    const result = spawnSync('bash', ['-c', driver], { input: lines.join('\n') + '\n', encoding: 'utf8', cwd });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout.split('\n').slice(0, lines.length).map((line) => line.split(' ').filter(Boolean));
  }

  it.skipIf(!shell('bash'))('every command of the program, then its own options', async () => {
    const render = program.commands.find((command) => command.name() === 'render')!;
    const renderFlags = render.options.flatMap((option) => [option.short, option.long]).filter(Boolean) as string[];
    const [top, partial, options, long, format] = await complete([
      'compose-voldriver ',
      'compose-voldriver ex',
      'compose-voldriver render -',
      'compose-voldriver render --re',
      'compose-voldriver validate --format ',
    ]);
    expect(top).toEqual(expect.arrayContaining(commandNames));
    expect(top).not.toContain('__complete');
    expect(commandNames).toEqual(expect.arrayContaining(['init', 'render', 'explain', 'validate', 'completion', 'checks']));
    expect(partial).toEqual(['explain']);
    expect(options.sort()).toEqual([...renderFlags, '-h', '--help'].sort());
    expect(long).toEqual(['--resolve']);
    expect(format).toEqual(['text', 'json', 'github', 'sarif']);
  });

  it.skipIf(!shell('bash'))('built-in policy names, platforms, check codes and driver names', async () => {
    const [policies, afterColon, platforms, secondPlatform, checks, drivers, files] = await complete([
      'compose-voldriver render --policy ',
      'compose-voldriver explain --policy builtin:a',
      'compose-voldriver init --policy --platform ',
      'compose-voldriver init --policy --platform aws,n',
      'compose-voldriver checks zone-',
      'compose-voldriver drivers rexray/e',
      'compose-voldriver render -f fixtures/adoption/word',
    ]);
    expect(policies).toEqual(expect.arrayContaining(['builtin:default', 'builtin:aws', 'builtin:nfs', 'builtin:glusterfs', 'builtin:portworx']));
    // bash has split "builtin:a" at the colon: the completion replaces only what follows it.
    expect(afterColon).toEqual(['aws']);
    expect(platforms).toEqual(['aws', 'nfs', 'glusterfs', 'portworx']);
    expect(secondPlatform).toEqual(['aws,nfs']);
    expect(checks).toEqual(['zone-unpinned']);
    expect(drivers.sort()).toEqual(['rexray/ebs', 'rexray/efs']);
    expect(files).toEqual(['fixtures/adoption/wordpress.yml']);
  });

  it.skipIf(!shell('bash'))('environment names from the policy beside the compose file, or the one named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cv-completion-'));
    copyFileSync('fixtures/adoption/gitea.yml', join(dir, 'compose.yml'));
    writeFileSync(join(dir, 'voldriver.yml'), 'version: 1\nenvironments: [dev, onprem, aws-prod]\nclasses: { durable: { driver: local } }\n');
    writeFileSync(join(dir, 'other.yml'), 'version: 1\nenvironments: [staging]\nclasses: { durable: { driver: local } }\n');
    const [beside, named, partial] = await complete(
      [`${bin} render -f compose.yml --env `, `${bin} validate -f compose.yml --policy other.yml --env `, `${bin} explain --env on`],
      dir,
    );
    expect(beside).toEqual(['aws-prod', 'dev', 'onprem']);
    expect(named).toEqual(['staging']);
    expect(partial).toEqual(['onprem']);
  });
});

describe('fish completes', () => {
  /** fish's own `complete -C`: the completions it would offer for a command line. */
  async function complete(line: string, cwd = process.cwd()): Promise<string[]> {
    const dir = mkdtempSync(join(tmpdir(), 'cv-completion-'));
    const file = join(dir, 'compose-voldriver.fish');
    writeFileSync(file, await script('fish'));
    // fish completes a command by its name: put the CLI on PATH as compose-voldriver.
    symlinkSync(bin, join(dir, 'compose-voldriver'));
    const env = { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH}` };
    const result = spawnSync('fish', ['--no-config', '-c', `source ${file}; complete -C ${JSON.stringify(line)}`], { encoding: 'utf8', cwd, env });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout.split('\n').filter(Boolean).map((entry) => entry.split('\t')[0]);
  }

  it.skipIf(!shell('fish'))('commands, options, values and environments', async () => {
    expect(await complete('compose-voldriver ')).toEqual(expect.arrayContaining(commandNames));
    expect(await complete('compose-voldriver render --for')).toEqual(['--format']);
    expect(await complete('compose-voldriver render --format ')).toEqual(['github', 'json', 'sarif', 'text']);
    expect(await complete('compose-voldriver init --platform aws,')).toEqual(expect.arrayContaining(['aws,nfs', 'aws,portworx']));
    const dir = mkdtempSync(join(tmpdir(), 'cv-completion-'));
    writeFileSync(join(dir, 'voldriver.yml'), 'version: 1\nenvironments: [dev, onprem]\nclasses: { durable: { driver: local } }\n');
    expect(await complete('compose-voldriver validate --env ', dir)).toEqual(['dev', 'onprem']);
  });
});

describe('zsh completes', () => {
  /**
   * An interactive zsh in a pseudo-terminal (zsh/zpty), compinit loading the script from $fpath, a line typed with
   * a TAB: what zsh prints back (the completed line, or the list of matches) is read until `expected` shows.
   */
  async function typed(line: string, expected: string): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'cv-completion-'));
    writeFileSync(join(dir, '_compose-voldriver'), await script('zsh'));
    symlinkSync(bin, join(dir, 'compose-voldriver'));
    const driver = `
zmodload zsh/zpty
zpty z 'PATH=${dir}:$PATH TERM=dumb zsh -f -i'
zpty -w z 'fpath=(${dir} $fpath); autoload -Uz compinit; compinit -u -D; print READY'
integer i
for i in {1..200}; do zpty -r -t z chunk && all+=$chunk; [[ $all == *READY*READY* ]] && break; sleep 0.05; done
all=""
zpty -w -n z ${"$'"}${line}\t'
for i in {1..300}; do zpty -r -t z chunk && all+=$chunk; [[ $all == *${JSON.stringify(expected)}* ]] && break; sleep 0.05; done
print -r -- $all
zpty -d z
`;
    const result = spawnSync('zsh', ['-f', '-c', driver], { encoding: 'utf8', timeout: 30_000 });
    return result.stdout;
  }

  it.skipIf(!shell('zsh'))('option values and check codes, through compinit', async () => {
    expect(await typed('compose-voldriver render --format ', 'sarif')).toMatch(/github +json +sarif +text/);
    expect(await typed('compose-voldriver checks zone-un', 'zone-unpinned')).toContain('compose-voldriver checks zone-unpinned');
    expect(await typed('compose-voldriver vali', 'validate')).toContain('compose-voldriver validate');
  }, 60_000);
});

describe('__complete environments', () => {
  it('prints the environments, and nothing at all for a broken policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cv-completion-'));
    writeFileSync(join(dir, 'voldriver.yml'), 'version: 1\nenvironments: [dev, prod]\nclasses: { durable: { driver: local } }\n');
    expect(await run(['__complete', 'environments', '--', 'render', '-f', join(dir, 'compose.yml')])).toEqual({ code: 0, out: 'dev\nprod\n', err: '' });
    writeFileSync(join(dir, 'voldriver.yml'), 'version: [\n');
    expect(await run(['__complete', 'environments', '--', 'render', '-f', join(dir, 'compose.yml')])).toEqual({ code: 0, out: '', err: '' });
    expect((await run(['__complete', 'environments', '--', 'render', '--policy', 'builtin:aws'])).out).toBe('');
  });

  it('is not listed in the help', async () => {
    const help = await run(['--help']);
    expect(help.out).toContain('completion');
    expect(help.out).not.toContain('__complete');
  });
});

describe('checks', () => {
  it('lists every code and shows one', async () => {
    const list = await run(['checks']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^zone-unpinned +warning +/m);
    expect(list.out).toMatch(/^init-skipped +warning +/m);
    const one = await run(['checks', 'zone-unpinned']);
    expect(one.out).toContain('docs/checks.md#zone-unpinned');
    expect(one.out).toContain('x-voldriver: { ignore: [zone-unpinned] }');
    const typo = await run(['checks', 'zone-unpined']);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/did you mean "zone-unpinned"/);
  });
});
