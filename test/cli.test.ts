/** The command line as users meet it: bad input, exit codes, writing files, help and version. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/program.js';
import { testIO } from './helpers/io.js';

async function run(args: string[], options: { env?: Record<string, string>; stdin?: string; cwd?: string } = {}) {
  const io = testIO(options);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

const bad = (name: string) => `fixtures/bad/${name}`;

describe('bad input: one message with file:line:col, exit 2, no stack trace', () => {
  const cases: [string, string, RegExp][] = [
    ['a missing file', 'fixtures/bad/nope.yml', /^fixtures\/bad\/nope\.yml: error: cannot read fixtures\/bad\/nope\.yml: no such file\n$/],
    ['a directory', 'fixtures/bad', /^fixtures\/bad: error: cannot read fixtures\/bad: it is a directory, not a file\n$/],
    ['an empty file', bad('empty.yml'), /^fixtures\/bad\/empty\.yml:1:1: error: the file is empty: expected a YAML mapping\n$/],
    ['a file with only comments', bad('comment-only.yml'), /^fixtures\/bad\/comment-only\.yml:1:1: error: the file is empty/],
    ['invalid YAML', bad('invalid.yml'), /^fixtures\/bad\/invalid\.yml:\d+:\d+: error: invalid YAML: /],
    ['several documents', bad('two-docs.yml'), /^fixtures\/bad\/two-docs\.yml:2:1: error: the file holds 2 YAML documents; only one is allowed\n  hint: /],
    ['a list at the top', bad('list.yml'), /^fixtures\/bad\/list\.yml:1:1: error: the top level must be a mapping/],
    ['a scalar at the top', bad('scalar.yml'), /^fixtures\/bad\/scalar\.yml:1:1: error: the top level must be a mapping/],
    ['an alias bomb', bad('alias-bomb.yml'), /^fixtures\/bad\/alias-bomb\.yml:7:14: error: refusing to expand aliases: they would add more than 2000000 values to this file, from the alias \*f here on\n/],
    ['a duplicate key', bad('duplicate-key.yml'), /^fixtures\/bad\/duplicate-key\.yml:4:5: error: invalid YAML: Map keys must be unique/],
  ];
  for (const [what, file, message] of cases) {
    it(`reports ${what}`, async () => {
      const result = await run(['render', '-f', file]);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.err).not.toMatch(/\n\s+at /);
      expect(result.out).toBe('');
    });
  }

  const policyCases: [string, string, RegExp][] = [
    ['a policy value of the wrong type', 'policy-wrong-type.yml', /^fixtures\/bad\/policy-wrong-type\.yml:5:16: error: invalid policy: classes\.durable\.placement: must be a list/],
    ['an unknown policy key', 'policy-unknown-key.yml', /^fixtures\/bad\/policy-unknown-key\.yml:5:5: error: invalid policy: .*drivr_opts.*did you mean "driver_opts"/],
    ['an unknown default class', 'policy-unknown-class.yml', /^fixtures\/bad\/policy-unknown-class\.yml:2:16: error: invalid policy: unknown class "durabel" \(did you mean "durable"\?\)/],
  ];
  for (const [what, file, message] of policyCases) {
    it(`reports ${what}`, async () => {
      const result = await run(['validate', '-f', bad('ok.yml'), '--policy', bad(file)]);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(message);
    });
  }

  it('refuses an unknown built-in policy with a suggestion', async () => {
    const result = await run(['render', '-f', bad('ok.yml'), '--policy', 'builtin:awss']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/unknown built-in policy "awss" \(did you mean "aws"\?\)/);
  });

  it('refuses an environment the policy does not know', async () => {
    const result = await run(['render', '-f', 'fixtures/render/env-override/compose.yml', '--env', 'aws-prod']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/unknown environment "aws-prod".*did you mean "aws"/);
  });

  it('refuses a malformed --set', async () => {
    const result = await run(['render', '-f', bad('ok.yml'), '--set', 'zone']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--set expects key=value, got "zone"/);
  });

  it('gives usage errors exit code 2', async () => {
    expect((await run(['render', '--no-such-flag'])).code).toBe(2);
    expect((await run(['no-such-command'])).code).toBe(2);
  });
});

describe('writing', () => {
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cv-cli-'));
    copyFileSync(bad('ok.yml'), join(dir, 'compose.yml'));
    return dir;
  };

  it('writes -o atomically and leaves the input unchanged', async () => {
    const dir = scratch();
    const input = readFileSync(join(dir, 'compose.yml'), 'utf8');
    const result = await run(['render', '-f', join(dir, 'compose.yml'), '-o', join(dir, 'out.yml')]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toBe('');
    expect(readFileSync(join(dir, 'compose.yml'), 'utf8')).toBe(input);
    expect(readFileSync(join(dir, 'out.yml'), 'utf8')).toContain('driver: "local"');
    expect(readdirSync(dir).sort()).toEqual(['compose.yml', 'out.yml']);
  });

  it('rewrites the input with --in-place, and a second run changes nothing', async () => {
    const dir = scratch();
    const file = join(dir, 'compose.yml');
    expect((await run(['render', '-f', file, '--in-place'])).code).toBe(0);
    const once = readFileSync(file, 'utf8');
    expect(once).toContain('com.compose-voldriver.class: "durable"');
    expect((await run(['render', '-f', file, '--check'])).code).toBe(0);
    expect((await run(['render', '-f', file, '--in-place'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(once);
  });

  it('rewrites the file found as docker compose finds it with --in-place and no -f, and refuses when it would read several', async () => {
    const dir = scratch();
    const file = join(dir, 'compose.yml');
    const before = readFileSync(file, 'utf8');
    // The built program, started in the folder: discovery looks in the process's working directory.
    const bin = (args: string[]) => spawnSync(process.execPath, [join(process.cwd(), 'bin/compose-voldriver.cjs'), ...args], { cwd: dir, encoding: 'utf8' });
    expect(bin(['render', '--in-place']).status).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toBe(before);
    expect(readFileSync(file, 'utf8')).toContain('com.compose-voldriver.class: "durable"');
    writeFileSync(file, before);
    writeFileSync(join(dir, 'compose.override.yml'), 'services: {}\n');
    const several = bin(['render', '-i']);
    expect(several.status).toBe(2);
    expect(several.stderr).toBe(
      'error: --in-place rewrites one file, and this run reads 2: compose.yml, compose.override.yml\n  hint: name the one to rewrite with -f, or write the merged result with --resolve -o FILE\n',
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
    const stdin = await run(['render', '-f', '-', '-i'], { stdin: before });
    expect(stdin.code).toBe(2);
    expect(stdin.err).toBe('error: --in-place needs a file, not standard input\n');
  });

  it('refuses --in-place on a file whose include or extends make the output the resolved project, and writes nothing', async () => {
    const dir = scratch();
    const file = join(dir, 'compose.yml');
    writeFileSync(join(dir, 'base.yml'), 'services:\n  base:\n    image: nginx:${TAG:-1}\n');
    for (const text of [
      'include:\n  - base.yml\nservices:\n  app:\n    image: nginx\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-voldriver: durable\n',
      'services:\n  app:\n    extends: { file: base.yml, service: base }\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-voldriver: durable\n',
    ]) {
      writeFileSync(file, text);
      const result = await run(['render', '-f', file, '-i']);
      expect(result.code).toBe(2);
      expect(result.err).toBe(
        `error: --in-place would replace ${file} with the resolved project: its include and extends would be flattened into it and its variables filled in\n` +
          '  hint: write the resolved file elsewhere with -o FILE, or give --resolve to replace the file with it anyway\n',
      );
      expect(readFileSync(file, 'utf8')).toBe(text);
      // Asked for, the resolved file replaces it.
      expect((await run(['render', '-f', file, '-i', '--resolve'])).code).toBe(0);
      expect(readFileSync(file, 'utf8')).toContain('image: nginx:1');
    }
  });

  it('refuses -o naming a file the run reads (include, policy, .env), and the input itself when the output is resolved', async () => {
    const dir = scratch();
    const file = join(dir, 'compose.yml');
    const text = 'include:\n  - inc.yml\nservices:\n  app:\n    image: nginx\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-voldriver: durable\n';
    const files: Record<string, string> = {
      'compose.yml': text,
      'inc.yml': 'services:\n  db:\n    image: postgres:${TAG:-16}\n',
      'voldriver.yml': 'version: 1\nclasses:\n  durable: { driver: local }\n',
      '.env': 'TAG=17\n',
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    for (const name of ['inc.yml', 'voldriver.yml', '.env']) {
      const result = await run(['render', '-f', file, '-o', join(dir, name)]);
      expect(result.code).toBe(2);
      expect(result.err).toBe(`error: -o ${join(dir, name)} would write over a file this run reads\n  hint: write the output to another file\n`);
    }
    const self = await run(['render', '-f', file, '-o', join(dir, '.', 'compose.yml')]);
    expect(self.code).toBe(2);
    expect(self.err).toMatch(/would replace the input file with the resolved project/);
    for (const [name, content] of Object.entries(files)) expect(readFileSync(join(dir, name), 'utf8')).toBe(content);
    // A file without include or extends is edited: -o over it is what --in-place does.
    writeFileSync(file, 'services:\n  app:\n    image: nginx\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-voldriver: durable\n');
    expect((await run(['render', '-f', file, '-o', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('com.compose-voldriver.class: "durable"');
  });

  it('leaves the -o target untouched when rendering fails', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'compose.yml'), readFileSync('fixtures/render/unknown-class/compose.yml'));
    writeFileSync(join(dir, 'out.yml'), 'previous contents\n');
    const result = await run(['render', '-f', join(dir, 'compose.yml'), '-o', join(dir, 'out.yml')]);
    expect(result.code).toBe(2);
    expect(readFileSync(join(dir, 'out.yml'), 'utf8')).toBe('previous contents\n');
    expect(result.err).toMatch(/nothing written/);
  });

  it('leaves the -o target untouched when the input is unusable', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'out.yml'), 'previous contents\n');
    const result = await run(['render', '-f', bad('invalid.yml'), '-o', join(dir, 'out.yml')]);
    expect(result.code).toBe(2);
    expect(readFileSync(join(dir, 'out.yml'), 'utf8')).toBe('previous contents\n');
  });

  it('reports a write it cannot make, and leaves no temporary file', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'placeholder'), '');
    copyFileSync(join(dir, 'compose.yml'), join(dir, 'x.yml'));
    // Root ignores permission bits, so make the write fail with a path under a regular file.
    const result = await run(['render', '-f', join(dir, 'x.yml'), '-o', join(dir, 'placeholder', 'out.yml')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/cannot write .*placeholder\/out\.yml/);
    expect(readdirSync(dir).sort()).toEqual(['compose.yml', 'placeholder', 'x.yml']);
  });

  it('--check exits 1 when the file would change, and writes nothing', async () => {
    const result = await run(['render', '-f', bad('ok.yml'), '--check']);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/is not up to date/);
  });

  it('--diff prints a unified diff, plain without a terminal', async () => {
    const result = await run(['render', '-f', bad('ok.yml'), '--diff']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^--- a\/fixtures\/bad\/ok\.yml\n\+\+\+ b\/fixtures\/bad\/ok\.yml\n@@ /);
    expect(result.out).toContain('+    driver: "local"');
    expect(result.out).not.toMatch(/\u001b\[/);
  });

  it('reads standard input with -f -', async () => {
    const result = await run(['render', '-f', '-'], { stdin: readFileSync(bad('ok.yml'), 'utf8') });
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('com.compose-voldriver.class: "durable"');
  });
});

describe('help and version', () => {
  it('prints the version', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^\d+\.\d+\.\d+/);
  });

  for (const command of ['render', 'explain', 'validate', 'drivers', 'schema', 'policy']) {
    it(`shows examples in ${command} --help`, async () => {
      const result = await run([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/Examples:\n {2}\$ compose-voldriver /);
    });
  }

  it('prints the policy schema', async () => {
    const result = await run(['schema', 'policy']);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.out);
    expect(schema.properties.classes).toBeDefined();
  });
});

describe('drivers', () => {
  it('lists every driver of the catalog with scope, attach mode and status', async () => {
    const result = await run(['drivers']);
    expect(result.code).toBe(0);
    const { builtinDrivers } = await import('../src/policies/catalog/index.js');
    for (const driver of builtinDrivers) expect(result.out).toMatch(new RegExp(`^${driver.name.replace(/[/.:]/g, '\\$&')}\\s`, 'm'));
    expect(result.out).toMatch(/^rexray\/ebs\s+global\s+single\s+zone\s+legacy\s/m);
    expect(result.out).toMatch(/^pxd\s+global\s+single\*/m);
  });

  it('shows one driver with its options, under any name it is installed as', async () => {
    const result = await run(['drivers', 'rexray/ebs:latest']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^rexray\/ebs\n/);
    expect(result.out).toMatch(/^ {2}size\s+size \(whole GiB, no unit, min 1Gi\)/m);
    expect(result.out).toMatch(/^ {2}volumeType\s+gp2\|io1\|st1\|sc1\|standard\s.*aliases: type/m);
  });

  it('gives machines JSON', async () => {
    const result = await run(['drivers', 'pxd', '--format', 'json']);
    expect(result.code).toBe(0);
    const driver = JSON.parse(result.out);
    expect(driver.name).toBe('pxd');
    expect(driver.attachRules[0]).toMatchObject({ option: 'shared', attach: 'multi' });
  });

  it('refuses an unknown driver with a suggestion', async () => {
    const result = await run(['drivers', 'rexray/ebz']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/unknown driver "rexray\/ebz" \(did you mean "rexray\/ebs"\?\)/);
  });
});

describe('policy', () => {
  it('lists the built-in policies and prints one', async () => {
    const list = await run(['policy']);
    expect(list.code).toBe(0);
    for (const name of ['default', 'aws', 'nfs', 'glusterfs', 'portworx']) expect(list.out).toContain(`builtin:${name}`);
    const aws = await run(['policy', 'aws']);
    expect(aws.out).toMatch(/^version: 1\n/);
    expect(aws.out).toContain('driver: rexray/ebs');
  });
});

describe('custom drivers from a policy', () => {
  it('lists and shows them with the catalog', async () => {
    const list = await run(['drivers', '--policy', 'fixtures/policies/custom-driver.yml']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^acme\/blockstore\s+global\s+single\s+zone\s+active\s/m);
    expect(list.out).toMatch(/^rexray\/ebs\s/m);
    const one = await run(['drivers', 'acme/blockstore', '--policy', 'fixtures/policies/custom-driver.yml']);
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/^ {2}tier\s+gold\|silver\s+Storage tier\./m);
  });

  it('checks volumes against them like built-in drivers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cv-custom-'));
    writeFileSync(
      join(dir, 'compose.yml'),
      'services:\n  app:\n    image: x\n    volumes: [data:/data]\n    deploy: {replicas: 2}\nvolumes:\n  data:\n    x-voldriver: replicated\n',
    );
    const result = await run(['validate', '-f', join(dir, 'compose.yml'), '--policy', 'fixtures/policies/custom-driver.yml']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/error single-attach-replicated: service "app" has 2 replicas and mounts volume "data" \(acme\/blockstore\)/);
    expect(result.err).toMatch(/warning zone-unpinned: volume "data" \(acme\/blockstore\)/);
    expect(result.err).not.toMatch(/unknown-driver|unknown-option/);
  });
});

describe('secrets stay out of what is shown', () => {
  const file = 'fixtures/secrets/compose.yml';
  const secrets = ['TopSecretKey99', 'tok-ABCDEF', 'Hunter2Secret', 'OldHunter2'];

  it('explain redacts credential-like keys and inline credentials, in text and JSON', async () => {
    for (const format of ['text', 'json']) {
      const result = await run(['explain', '-f', file, '--format', format]);
      for (const secret of secrets.slice(0, 3)) expect(result.out).not.toContain(secret);
      expect(result.out).toContain('***');
    }
  });

  it('render --diff redacts new and old credentials, and shows them with --show-secrets', async () => {
    const diff = await run(['render', '-f', file, '--diff']);
    expect(diff.out).toContain('-      o: username=app,password=***');
    expect(diff.out).toContain('user=app%***,vers=3.0');
    for (const secret of secrets) expect(diff.out + diff.err).not.toContain(secret);
    const shown = await run(['render', '-f', file, '--diff', '--show-secrets']);
    expect(shown.out).toContain('Hunter2Secret');
    expect(shown.out).toContain('OldHunter2');
  });

  it('writes the real values into the rendered file itself', async () => {
    const result = await run(['render', '-f', file]);
    expect(result.out).toContain('o: "user=app%Hunter2Secret,vers=3.0"');
  });
});

describe('secrets stay out of findings', () => {
  it('in schema and yaml-ambiguous-value messages, in every format', async () => {
    for (const command of ['validate', 'render', 'explain']) {
      for (const format of ['text', 'json', 'github']) {
        if (command === 'explain' && format === 'github') continue;
        const result = await run([command, '-f', 'fixtures/secrets/findings.yml', '--format', format]);
        // render's standard output is the rendered file, which holds the real values by design.
        const shown = command === 'render' ? result.err : result.out + result.err;
        for (const secret of ['73915482', '0x5EC7E7', '6211559']) expect(shown, `${command} ${format}`).not.toContain(secret);
      }
    }
  });

  it('in the escaped form a quoted string gives them', async () => {
    const result = await run(['render', '-f', 'fixtures/secrets/escaped.yml', '--diff', '--set', 'pw=ab"cd\\ef']);
    expect(result.out).toContain('user=app%***,vers=3.0');
    expect(result.out).not.toContain('cd');
    const shown = await run(['render', '-f', 'fixtures/secrets/escaped.yml', '--diff', '--set', 'pw=ab"cd\\ef', '--show-secrets']);
    expect(shown.out).toContain('user=app%ab\\"cd\\\\ef,vers=3.0');
  });
});

describe("a URL's password stays out of what is shown", () => {
  // Each volume's options hold a URL with a password: as a whole option, inside mount options, with an "@" in it,
  // without a scheme. The passwords are all "Pw" and digits.
  const urls = ['https://alice:Pw1111@dav.example.com/x', 'sftp://bob:Pw2222@h:22/data', 's3://key:Pw3@33@bucket/p', '//carol:Pw4444@srv/share'];
  const stack = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cv-url-secret-'));
    const volumes = urls.map((url, i) => `  v${i}:\n    x-voldriver: web\n    driver: rclone\n    driver_opts: { ${i % 2 ? 'o' : 'remote'}: "${i % 2 ? `vers=1,url=${url}` : url}" }\n`).join('');
    writeFileSync(join(dir, 'compose.yml'), `services:\n  app:\n    image: nginx\n    volumes: [${urls.map((_, i) => `v${i}:/d${i}`).join(', ')}]\nvolumes:\n${volumes.replace(/    x-voldriver: web\n/g, '')}`);
    writeFileSync(join(dir, 'voldriver.yml'), 'version: 1\nenvironments: [a, b]\nclasses: { web: { driver: local } }\n');
    return join(dir, 'compose.yml');
  };

  it('in explain (text, json, the table of environments), validate in every format and findings', async () => {
    const file = stack();
    const runs = [
      ...['text', 'json'].map((format) => ['explain', '-f', file, '--format', format]),
      ['explain', '-f', file, '--all-environments'],
      ...['text', 'json', 'github', 'sarif'].map((format) => ['validate', '-f', file, '--format', format]),
    ];
    for (const args of runs) {
      const result = await run(args);
      expect(result.out + result.err, args.join(' ')).not.toMatch(/Pw\d/);
      if (args[0] === 'explain') expect(result.out, args.join(' ')).toMatch(/:\*\*\*@/);
    }
    const explained = JSON.parse((await run(['explain', '-f', file, '--format', 'json'])).out);
    expect(explained.volumes.map((v: { driver_opts: Record<string, string> }) => Object.values(v.driver_opts)[0])).toEqual([
      'https://alice:***@dav.example.com/x',
      'vers=1,url=sftp://bob:***@h:22/data',
      's3://key:***@bucket/p',
      'vers=1,url=//carol:***@srv/share',
    ]);
    const shown = await run(['explain', '-f', file, '--format', 'json', '--show-secrets']);
    expect(shown.out).toContain('Pw3@33');
  });

  it('is a secret-in-options warning at the option', async () => {
    const result = await run(['validate', '-f', stack()]);
    expect(result.err.match(/warning secret-in-options: volume "v\d": the URL in "(remote|o)" carries a password/g)).toHaveLength(4);
  });

  it('in render --diff, and in a message quoting a value that cannot be read', async () => {
    const file = stack();
    writeFileSync(file, readFileSync(file, 'utf8').replace(/    driver: rclone\n/g, '    x-voldriver: web\n'));
    const diff = await run(['render', '-f', file, '--diff']);
    expect(diff.out).toContain('-    driver_opts: { remote: "https://alice:***@dav.example.com/x" }');
    expect(diff.out + diff.err).not.toMatch(/Pw\d/);
    // An error that stops the command quotes the value, with the credential hidden: password= or a URL's.
    for (const value of ['https://alice:Pw5555@h/x${', 'username=a,password=Pw6666${']) {
      writeFileSync(file, `services:\n  app:\n    image: nginx\n    volumes: [v:/d]\nvolumes:\n  v:\n    driver: rclone\n    driver_opts: { o: "${value}" }\n`);
      for (const format of ['text', 'json']) {
        const broken = await run(['validate', '-f', file, '--format', format]);
        expect(broken.code).toBe(2);
        expect(broken.err).toMatch(/invalid interpolation format in .*\*\*\*/);
        expect(broken.err).not.toMatch(/Pw\d/);
      }
    }
  });
});

describe('standard input ("-"), read by the installed command from a real pipe', () => {
  const bin = 'bin/compose-voldriver.cjs';
  const STACK = 'services:\n  app:\n    image: nginx\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: durable\n';
  const POLICY = 'version: 1\nenvironments: [a, b]\nclasses:\n  durable: { driver: local, environments: { b: { driver: pxd } } }\n';
  const piped = (args: string[], input: string) => spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8' });
  const files = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cv-stdin-'));
    writeFileSync(join(dir, 'compose.yml'), STACK);
    writeFileSync(join(dir, 'voldriver.yml'), POLICY);
    return dir;
  };

  it('-f - is the same stack in every environment (--all-environments, --env twice)', () => {
    const dir = files();
    const policy = join(dir, 'voldriver.yml');
    const validate = piped(['validate', '-f', '-', '--policy', policy, '--all-environments'], STACK);
    expect(validate.status, validate.stderr).toBe(0);
    expect(validate.stderr).toMatch(/^a: ok: 0 error\(s\)/m);
    expect(validate.stderr).toMatch(/^b: ok: 0 error\(s\)/m);
    const explain = piped(['explain', '-f', '-', '--policy', policy, '--env', 'a', '--env', 'b'], STACK);
    expect(explain.status, explain.stderr).toBe(0);
    expect(explain.stdout).toMatch(/^data\s+durable\s+local\s+pxd$/m);
  });

  it('--policy - reads the policy (validate, explain, render, init --rules, drivers), and not with -f - too', () => {
    const dir = files();
    const stack = join(dir, 'compose.yml');
    const validate = piped(['validate', '-f', stack, '--policy', '-', '--all-environments'], POLICY);
    expect(validate.status, validate.stderr).toBe(0);
    expect(validate.stderr).toMatch(/^b: ok:/m);
    const render = piped(['render', '-f', stack, '--policy', '-', '--env', 'b'], POLICY);
    expect(render.status, render.stderr).toBe(0);
    expect(render.stdout).toContain('driver: "pxd"');
    expect(piped(['explain', '-f', stack, '--policy', '-', '--env', 'b', '--format', 'json'], POLICY).stdout).toContain('"driver": "pxd"');
    const init = piped(['init', '-f', stack, '--rules', '-'], 'version: 1\ndefault_class: durable\nclasses: { durable: { driver: local } }\n');
    expect(init.status, init.stderr).toBe(0);
    const drivers = piped(['drivers', 'acme/x', '--policy', '-'], 'version: 1\nclasses: { d: { driver: acme/x } }\ndrivers:\n  - { name: acme/x, scope: global, attach: multi, options: [] }\n');
    expect(drivers.status, drivers.stderr).toBe(0);
    expect(drivers.stdout).toMatch(/^acme\/x/);
    const both = piped(['validate', '-f', '-', '--policy', '-'], STACK);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe('error: standard input can be read only once: the compose file (-f -) and the policy (--policy -) both ask for it; give one of them as a file\n');
  });

  it('--env-file - reads the variables (render, validate, explain), in its place among other env files; refused beside another "-"', () => {
    const dir = files();
    const stack = join(dir, 'tagged.yml');
    writeFileSync(stack, STACK.replace('image: nginx', 'image: nginx:${TAG:?set TAG}'));
    writeFileSync(join(dir, 'other.env'), 'TAG=1.25\n');
    // `node -- bin`: node reads an --env-file before a "--" as its own option.
    const node = (args: string[], input: string) => spawnSync(process.execPath, ['--', bin, ...args], { input, encoding: 'utf8' });
    const render = node(['render', '-f', stack, '--env-file', '-', '--resolve', '-o', '-'], 'TAG=1.27\n');
    expect(render.status, render.stderr).toBe(0);
    expect(render.stdout).toContain('image: nginx:1.27');
    // A later file wins, standard input included.
    expect(node(['render', '-f', stack, '--env-file', join(dir, 'other.env'), '--env-file', '-', '--resolve', '-o', '-'], 'TAG=1.27\n').stdout).toContain('image: nginx:1.27');
    expect(node(['render', '-f', stack, '--env-file', '-', '--env-file', join(dir, 'other.env'), '--resolve', '-o', '-'], 'TAG=1.27\n').stdout).toContain('image: nginx:1.25');
    const validate = node(['validate', '-f', stack, '--env-file', '-'], 'NOTAG=1\n');
    expect(validate.status).toBe(2);
    expect(validate.stderr).toMatch(/tagged\.yml:\d+:\d+: error: .*TAG.*set TAG/);
    expect(node(['explain', '-f', stack, '--env-file', '-', '--format', 'json'], 'TAG=1\n').status).toBe(0);
    const bad = node(['render', '-f', stack, '--env-file', '-'], 'TAG=1\nNOT A LINE\n');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^<stdin>:2:1: error: /);
    for (const [args, message] of [
      [['-f', '-', '--env-file', '-'], 'the compose file (-f -) and the env file (--env-file -) both ask for it; give one of them as a file'],
      [['-f', stack, '--env-file', '-', '--policy', '-'], 'the env file (--env-file -) and the policy (--policy -) both ask for it; give one of them as a file'],
      [['-f', stack, '--env-file', '-', '--env-file', '-'], 'the env file (--env-file -) is given 2 times; give it once'],
      [['-f', '-', '--env-file', '-', '--policy', '-'], 'the compose file (-f -), the env file (--env-file -) and the policy (--policy -) all ask for it; give all but one of them as a file'],
    ] as const) {
      for (const command of ['render', 'validate', 'explain']) {
        const refused = node([command, ...args], STACK);
        expect(refused.status, `${command} ${args.join(' ')}`).toBe(2);
        expect(refused.stderr).toBe(`error: standard input can be read only once: ${message}\n`);
        expect(refused.stdout).toBe('');
      }
    }
    // init names its policy --rules.
    const init = node(['init', '-f', stack, '--env-file', '-', '--rules', '-'], STACK);
    expect(init.status).toBe(2);
    expect(init.stderr).toBe('error: standard input can be read only once: the env file (--env-file -) and the policy (--rules -) both ask for it; give one of them as a file\n');
    const initRead = node(['init', '-f', stack, '--env-file', '-', '--rules', 'builtin:default'], 'TAG=1\n');
    expect(initRead.status, initRead.stderr).toBe(0);
  });
});

describe('help', () => {
  it('help NAME of no command says so, with a suggestion, exit 2; help of a command is its help, exit 0', async () => {
    for (const [name, suggestion] of [['rendr', '(Did you mean render?)'], ['nope', '']]) {
      const result = await run(['help', name]);
      expect(result.code).toBe(2);
      expect(result.err).toBe(`error: unknown command '${name}'\n${suggestion ? `${suggestion}\n` : ''}`);
      expect(result.out).toBe('');
    }
    const render = await run(['help', 'render']);
    expect(render.code).toBe(0);
    expect(render.out).toMatch(/^Usage: compose-voldriver render \[options\]/);
  });
});

describe('option values', () => {
  it('refuses a --format the command does not have, as a usage error', async () => {
    const result = await run(['validate', '-f', 'fixtures/bad/ok.yml', '--format', 'xml']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/argument 'xml' is invalid\. Allowed choices are text, json, github/);
  });
});
