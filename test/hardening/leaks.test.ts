/** What is printed: no credential file quoted whole, no raw control characters, credentials redacted where they stand. */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainStack } from '../../src/index.js';
import { printable, printableLine } from '../../src/report/printable.js';
import { plainCredential, redactCompose, redactor, redactText, redactValue } from '../../src/report/redact.js';
import { inlineSecrets, looksLikeCredential } from '../../src/secrets.js';
import { INTERNAL, runIn, scratch } from './run.js';

const TOKEN = 'ghp_' + 'Z'.repeat(36);
const STACK = 'services:\n  app:\n    image: nginx\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: durable\n';

describe('a credentials file where a .env file is expected', () => {
  const files: [string, string][] = [
    ['a JSON key file', `{"type": "service_account", "private_key": "${TOKEN}"}\n`],
    ['an ini file', `[default]\naws_secret_access_key = ${TOKEN}\n`],
    ['a PEM key', `-----BEGIN PRIVATE KEY-----\n${TOKEN}\n-----END PRIVATE KEY-----\n`],
    ['a quoted value followed by more', `KEY="a"${TOKEN}\n`],
    ['a bad interpolation', `KEY=\${${TOKEN}\n`],
    ['a netrc line', `machine example.com login me password ${TOKEN}\n`],
  ];
  for (const [what, text] of files) {
    it(`is reported without printing the credential: ${what}`, async () => {
      const dir = scratch({ 'c.yml': STACK, 'creds': text });
      symlinkSync(join(dir, 'creds'), join(dir, '.env'));
      for (const args of [['-f', 'c.yml'], ['-f', 'c.yml', '--env-file', 'creds']]) {
        const r = await runIn(dir, ['render', ...args]);
        expect(r.err).not.toMatch(INTERNAL);
        expect(r.err + r.out).not.toContain(TOKEN.slice(0, 24));
      }
    });
  }
});

describe('text quoted in a message that looks like a credential', () => {
  it('is told apart from names, paths and words', () => {
    const credentials = [
      TOKEN,
      'github_pat_11ABCDEFG0abcdefghijklmnop',
      'glpat-abcdefghij1234567890',
      'xoxb-1234567890-abcdefghijkl',
      'AKIAIOSFODNN7EXAMPLE',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCY8z3Q1kLm9a',
      'wJalrXUtnFEMIK7MDENGbPxRfiCY8z3Q1kLm9a0',
      '$6$rounds=5000$abcdefghijklmnopqrstuvwxyz012345',
      '$2y$10$abcdefghijklmnopqrstuv0123456789abcd',
      'admin:$apr1$xy12$abcdefghijklmnop1234',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0',
      '-----BEGIN PRIVATE KEY-----',
    ];
    const names = ['services', 'x-voldriver', 'com.example.team-storage', '/srv/Data2024/backups', 'data/Run2024x/cache2/', 'srv/Data2024/Backups2024', 'MyServiceBackendPool2', 'postgres_data_2024_01', 'on-failure', 'sk-learn-workers', 'DISK_SIZE_20GB_NODE_01', 'task-runner-container-12345678901234'];
    for (const text of credentials) expect(looksLikeCredential(text), text).toBe(true);
    for (const text of names) expect(looksLikeCredential(text), text).toBe(false);
  });
});

describe('control characters from the input are printed escaped', () => {
  const ESC = '\u001b';
  // DEL and C1 controls written as YAML escapes: raw, they make the file invalid YAML (Docker refuses it too).
  const yamlQuoted = (text: string) => JSON.stringify(text).replace(/[\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
  const names = [`evil${ESC}[2J`, `bell\u0007name`, `cr\rname`, `rtl\u202ename`, `c1\u009bname`];
  for (const name of names) {
    it(`in findings, explain and errors: ${JSON.stringify(name)}`, async () => {
      const quoted = yamlQuoted(name);
      const dir = scratch({
        'c.yml': `services:\n  app:\n    image: nginx\n    volumes: [${yamlQuoted(`${name}:/d`)}]\nvolumes:\n  ${quoted}:\n    x-voldriver: ${quoted}\n`,
        'd.yml': `services:\n  app:\n    image: nginx\n    volumes: [${yamlQuoted(`${name}:/d`)}]\nvolumes:\n  ${quoted}:\n    x-voldriver: durable\n`,
      });
      const unknown = await runIn(dir, ['render', '-f', 'c.yml']);
      expect(unknown.code).toBe(2);
      const explained = await runIn(dir, ['explain', '-f', 'd.yml']);
      const missing = await runIn(dir, ['render', '-f', `${name}.yml`]);
      for (const shown of [unknown.err, explained.out, explained.err, missing.err]) {
        expect(shown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      }
      expect(unknown.err).toContain(printableLine(name));
      expect(missing.err).toContain(printableLine(name));
    });
  }

  it('in JSON and SARIF: C1 controls, separators and bidi controls as \\u escapes, the value parsed the same', async () => {
    const name = 'rtl\u202ec1\u009bdel\u007fsep\u2028';
    const quoted = yamlQuoted(name);
    const dir = scratch({ 'c.yml': `services:\n  app:\n    image: nginx\n    volumes: [${yamlQuoted(`${name}:/d`)}]\nvolumes:\n  ${quoted}:\n    x-voldriver: ${quoted}\n` });
    const runs = [
      await runIn(dir, ['validate', '-f', 'c.yml', '--format', 'json']),
      await runIn(dir, ['validate', '-f', 'c.yml', '--format', 'sarif']),
      await runIn(dir, ['render', '-f', 'c.yml', '--format', 'json']),
      await runIn(dir, ['explain', '-f', 'c.yml', '--format', 'json']),
    ];
    for (const r of runs) {
      expect(r.err).not.toMatch(INTERNAL);
      for (const shown of [r.out, r.err]) expect(shown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    }
    const findings = JSON.parse(runs[0].err) as { message: string }[];
    expect(findings.some((f) => f.message.includes(`asks for class ${JSON.stringify(name)}`))).toBe(true);
    expect(runs[1].out).toContain('rtl\\u202ec1\\u009bdel\\u007fsep\\u2028');
  });

  it('in the drivers a policy describes and in a Mermaid diagram; an option without a description shows none', async () => {
    const bad = `ev${ESC}[2J\u202e\n`;
    const q = JSON.stringify(bad);
    const policy = `version: 1\ndrivers:\n  - name: ${q}\n    description: ${q}\n    scope: local\n    attach: multi\n    notes: [${q}]\n    options:\n      - { name: ${q}, type: { kind: enum, values: [${q}] } }\n      - { name: plain, type: { kind: string } }\nclasses:\n  durable: { driver: ${q} }\n`;
    const dir = scratch({ 'c.yml': STACK, 'p.yml': policy });
    const runs = [
      await runIn(dir, ['drivers', '--policy', 'p.yml']),
      await runIn(dir, ['drivers', bad, '--policy', 'p.yml']),
      await runIn(dir, ['explain', '-f', 'c.yml', '--policy', 'p.yml', '--format', 'mermaid']),
    ];
    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(r.err).not.toMatch(INTERNAL);
      expect(r.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(r.out).toContain('ev\\x1b[2J\\u202e\\n');
    }
    expect(runs[1].out).toMatch(/^ {2}plain {14}string$/m);
    expect(runs[1].out).not.toContain('undefined');
  });

  it('in a file\'s own comment: the file is refused as YAML, at the character, which is not printed', async () => {
    const dir = scratch({ 'c.yml': `${STACK.replace(/\n/g, '\r\n')}    # title${ESC}]0;pwned${ESC}\\\r\n` });
    const r = await runIn(dir, ['render', '-f', 'c.yml', '--diff']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).not.toContain(ESC);
    expect(r.err).toMatch(/c\.yml:8:12: error: invalid YAML: the control character U\+001B is not allowed/);
  });

  it('escapes as documented', () => {
    expect(printableLine('a\u001b[31mb\nc\td\u202e')).toBe('a\\x1b[31mb\\nc\\td\\u202e');
    expect(printable('line\r\nnext\rover\n\tx')).toBe('line\r\nnext\\rover\n\tx');
  });
});

describe('credentials in --diff', () => {
  const policy = (options: string) => `version: 1\nclasses:\n  durable:\n    driver: local\n    driver_opts: ${options}\n`;

  it('hides a credential of any length, also a short one', async () => {
    for (const secret of ['x', 'xy', 'xyz']) {
      const dir = scratch({ 'c.yml': STACK, 'p.yml': policy(`{ type: cifs, device: //s/x, o: "username=u,password=${secret}" }`) });
      const r = await runIn(dir, ['render', '-f', 'c.yml', '--policy', 'p.yml', '--diff']);
      expect(r.out).toContain('o: "username=u,password=***"');
      expect(r.out).not.toContain(`password=${secret}`);
      const shown = await runIn(dir, ['render', '-f', 'c.yml', '--policy', 'p.yml', '--diff', '--show-secrets']);
      expect(shown.out).toContain(`password=${secret}`);
    }
  });

  it('does not hide other text that equals a credential', async () => {
    const dir = scratch({ 'c.yml': STACK, 'p.yml': policy('{ type: cifs, device: //s/x, o: "username=u,password=local" }') });
    const r = await runIn(dir, ['render', '-f', 'c.yml', '--policy', 'p.yml', '--diff']);
    expect(r.out).toContain('+    driver: "local"');
    expect(r.out).toContain('password=***');
    expect(r.out).not.toContain('password=local');
  });

  it('hides a credential key\'s whole value, keeping the line\'s quoting', async () => {
    const dir = scratch({ 'c.yml': STACK, 'p.yml': policy('{ token: "ab" }').replace('driver: local', 'driver: mycorp/fs') });
    const r = await runIn(dir, ['render', '-f', 'c.yml', '--policy', 'p.yml', '--diff']);
    expect(r.out).toContain('+      token: "***"');
    expect(r.out).not.toContain('"ab"');
  });
});

describe('many credentials', () => {
  it('are each redacted where they stand, in time linear in their number: 20,000 volumes with a password each', () => {
    const lines = ['services:', '  app:', '    image: nginx', 'volumes:'];
    for (let i = 0; i < 20_000; i++) lines.push(`  v${i}:`, '    driver: local', '    driver_opts:', '      type: cifs', `      o: "username=u${i},password=pw-${i}-secret"`);
    const text = lines.join('\n') + '\n';
    // Replacing credential by credential copied the whole text once per credential: minutes here, past the test's limit.
    const shown = redactCompose(text, []);
    expect(shown).not.toMatch(/-secret/);
    expect(shown.match(/password=\*\*\*/g)).toHaveLength(20_000);
    expect(shown).toContain('      o: "username=u19999,password=***"\n');
  });

  it('are searched for in time linear in the length of an option value, whatever it holds', () => {
    const n = 100_000;
    for (const value of ['a-'.repeat(n), 'a.b+'.repeat(n), '//a:'.repeat(n), `//u:${'@a'.repeat(n)}`, `${'password='.repeat(n / 4)}x`, 'user='.repeat(n), `https://u:${'x'.repeat(2 * n)}@h/`]) {
      const started = Date.now();
      const shown = redactValue('o', value, []);
      inlineSecrets(value);
      // Tried from every word boundary, the URL pattern took 26 s for 80,000 characters of "a-a-...".
      expect(Date.now() - started, value.slice(0, 12)).toBeLessThan(2_000);
      expect(shown.length).toBeLessThanOrEqual(value.length);
    }
    expect(redactValue('o', `https://u:${'x'.repeat(2 * n)}@h/`, [])).toBe('https://u:***@h/');
  });
});

describe('one redaction rule for findings, explain, validate and SARIF', () => {
  // A custom driver whose passkey the policy marks as a credential; the same parameter fills zone.
  const policy = [
    'version: 1',
    'drivers:',
    '  - name: mycorp/fs',
    '    scope: global',
    '    attach: multi',
    '    options:',
    '      - { name: passkey, type: { kind: string, pattern: "^[a-z]{4,}$" }, secret: true }',
    '      - { name: zone, type: { kind: string } }',
    'classes:',
    '  vault:',
    '    driver: mycorp/fs',
    '    driver_opts: { passkey: "{pk}", zone: "{pk}" }',
    '',
  ].join('\n');
  const stack = 'services:\n  app:\n    image: nginx\n    volumes: [data:/d]\nvolumes:\n  data:\n    x-voldriver: vault\n';
  const outputs = async (secret: string) => {
    const dir = scratch({ 'c.yml': stack, 'p.yml': policy });
    const base = ['-f', 'c.yml', '--policy', 'p.yml', '--set', `pk=${secret}`];
    const runs = await Promise.all([
      runIn(dir, ['validate', ...base]),
      runIn(dir, ['validate', ...base, '--format', 'json']),
      runIn(dir, ['validate', ...base, '--format', 'sarif']),
      runIn(dir, ['validate', ...base, '--format', 'github']),
      runIn(dir, ['explain', ...base]),
      runIn(dir, ['explain', ...base, '--format', 'json']),
      runIn(dir, ['explain', ...base, '--format', 'mermaid']),
    ]);
    return runs.map((r) => r.out + r.err).join('\n');
  };

  it('hides a credential of one or two characters where a finding quotes it', async () => {
    for (const secret of ['q', 'ab', 'Zq9']) {
      const all = await outputs(secret);
      expect(all, secret).toContain('"***" is not valid for passkey');
      expect(all, secret).not.toContain(`"${secret}"`);
      expect(all, secret).toContain('passkey="***" zone="***"');
    }
  });

  it('leaves other text that equals a plain credential as it is', async () => {
    const all = await outputs('local');
    expect(all).toContain(`had Docker's default driver (local)`);
    expect(all).toContain('its data is in the local volume');
    expect(all).not.toMatch(/driver \(\*\*\*\)|the \*\*\* volume/);
    expect(all).not.toContain('zone="local"');
  });

  it('explainStack, the library call, hides them alike', () => {
    const dir = scratch({ 'c.yml': stack, 'p.yml': policy });
    const shown = JSON.stringify(explainStack({ files: ['c.yml'], policy: 'p.yml', parameters: { pk: 'ab' }, cwd: dir }).explain);
    expect(shown).toContain('\\"***\\" is not valid for passkey');
    expect(shown).not.toContain('ab\\"');
    expect(shown).toContain('"zone":"***"');
  });

  it('render hides them in its findings too: an option the policy marks secret, or whose name says it is a credential', async () => {
    for (const option of ['passkey', 'password']) {
      const dir = scratch({ 'c.yml': stack, 'p.yml': policy.replace(/passkey/g, option) });
      for (const secret of ['q', 'ab']) {
        const r = await runIn(dir, ['render', '-f', 'c.yml', '--policy', 'p.yml', '--set', `pk=${secret}`, '-o', '/dev/null']);
        expect(r.err, `${option}=${secret}`).toContain(`"***" is not valid for ${option}`);
        expect(r.err, `${option}=${secret}`).not.toContain(`"${secret}"`);
      }
    }
  });

  it('--show-secrets shows them', async () => {
    const dir = scratch({ 'c.yml': stack, 'p.yml': policy });
    const r = await runIn(dir, ['validate', '-f', 'c.yml', '--policy', 'p.yml', '--set', 'pk=ab', '--show-secrets']);
    expect(r.out + r.err).toContain('"ab" is not valid for passkey');
  });
});

describe('redactText', () => {
  it('hides a known credential of any length where it stands as one, and a plain one nowhere else', () => {
    expect(redactText('password=ab,vers=3.0 driver ab', ['ab'])).toBe('password=***,vers=3.0 driver ab');
    expect(redactText('token: "x" and "x"', ['x'])).toBe('token: "***" and "x"');
    expect(redactText('"api_key": "local", "driver": "local"', ['local'])).toBe('"api_key": "***", "driver": "local"');
    expect(redactText('o=user=u%pw,uid=pw //me:pw@host/x', ['pw'])).toBe('o=user=u%***,uid=pw //me:***@host/x');
    expect(redactText('passkey ab', ['ab'], ['passkey'])).toBe('passkey ***');
    expect(redactText('ab', ['ab'])).toBe('***');
    expect(redactText('password=abc is not abcd', ['abcd'])).toBe('password=abc is not abcd');
  });

  it('hides a credential that is not plain wherever it is, as it is, doubled $ and escaped', () => {
    expect(redactText('image x:Hunter2-S3cret and "a$$b-L0ngS3cret"', ['Hunter2-S3cret', 'a$b-L0ngS3cret'])).toBe('image x:*** and "***"');
    expect(plainCredential('changeme')).toBe(true);
    expect(plainCredential('local')).toBe(true);
    expect(plainCredential('Hunter2-S3cret')).toBe(false);
    expect(plainCredential('ghp_' + 'Z'.repeat(36))).toBe(false);
  });

  it('is linear in the text: a long run of keys and spaces', () => {
    const started = Date.now();
    redactText(`${'password '.repeat(50_000)}${' '.repeat(100_000)}=x`, ['x', 'password']);
    redactText('a'.repeat(200_000), ['a']);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('redaction of many credentials in many texts', () => {
  it('is linear: 8,000 volumes each with its own password, in findings, explain and the options shown', async () => {
    const lines = ['services:', '  app:', '    image: nginx', 'volumes:'];
    for (let i = 0; i < 8_000; i++) lines.push(`  v${i}:`, '    driver: local', '    driver_opts:', '      type: cifs', `      o: "username=u${i},password=Pw-${i}-S3cret"`);
    const dir = scratch({ 'c.yml': lines.join('\n') + '\n' });
    const started = Date.now();
    const r = await runIn(dir, ['explain', '-f', 'c.yml', '--format', 'json']);
    // Each credential searched for in each finding and option was quadratic: 20,000 volumes took over ten minutes.
    expect(Date.now() - started).toBeLessThan(40_000);
    expect(r.out).not.toMatch(/-S3cret/);
    expect(r.out.match(/password=\*\*\*/g)!.length).toBeGreaterThanOrEqual(8_000);
  }, 90_000);

  it('a redactor finds credentials that are not plain in one pass, longest first, as written and escaped', () => {
    const hide = redactor(['Hunter2-S3cret', 'Hunter2-S3cret-Longer', 'a"b-L0ngS3cret']);
    expect(hide('x Hunter2-S3cret-Longer y Hunter2-S3cret z')).toBe('x *** y *** z');
    expect(hide('{"v": "a\\"b-L0ngS3cret"}')).toBe('{"v": "***"}');
    expect(hide('Hunter2-S3cre')).toBe('Hunter2-S3cre');
  });
});
