/** What deploy prints shows names, values and the engine's words as text: a terminal acts on none of them. */
import { describe, expect, test } from 'vitest';
import { formatOutcome, formatReport, progressLine, type DeployReport } from '../../src/deploy/index.js';

const plain = { red: (t: string) => t, yellow: (t: string) => t, green: (t: string) => t, dim: (t: string) => t, bold: (t: string) => t };
const ESC = '\u001b[2J\u001b[31m';
const BIDI = '\u202e';

function report(extra: Partial<DeployReport> = {}): DeployReport {
  return {
    stack: 'shop',
    engine: { host: `unix:///run/${ESC}.sock`, from: 'DOCKER_HOST', version: '27.0.0', api: '1.46' },
    volumes: [
      {
        volume: 'data',
        engineName: `shop_data${BIDI}`,
        driver: `nfs${ESC}`,
        options: { mode: `a${ESC}b`, password: 'hunter2' },
        state: 'new',
        services: ['app'],
        exists: false,
        differences: [],
        driverChanged: false,
      },
    ],
    findings: [
      { code: 'volume-drift', severity: 'error', message: `volume "data" would change\n    option  running  new\n    mode    "a${ESC}"  "b"`, hint: `keep ${BIDI}it\nforged line`, file: `st${ESC}.yml`, line: 3, col: 1 },
    ],
    dryRun: true,
    outcome: 'refused',
    secretOptions: { data: ['password'] },
    secrets: ['hunter2'],
    exitCode: 1,
    ...extra,
  };
}

const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('deploy text output', () => {
  test('engine line, plan, findings: control characters and bidirectional overrides are shown as escapes; a message keeps its own lines', () => {
    const text = formatReport(report(), plain);
    expect(text).not.toMatch(unsafe);
    expect(text).toContain('engine: unix:///run/\\x1b[2J\\x1b[31m.sock (DOCKER_HOST)');
    expect(text).toMatch(/data\s+shop_data\\u202e\s+nfs\\x1b\[2J\\x1b\[31m\s+mode=a\\x1b\[2J\\x1b\[31mb,password=\*\*\*\s+new/);
    expect(text).toContain('error [volume-drift] st\\x1b[2J\\x1b[31m.yml:3:1: volume "data" would change\n    option  running  new\n');
    expect(text).toContain('  fix: keep \\u202eit\\nforged line\n');
  });

  test('progress lines and the outcome: the engine\'s words shown as text, credentials hidden', () => {
    expect(progressLine({ name: 'shop_app', mode: 'replicated', desired: 1, done: 0, state: 'failed', note: `mount failed: ${ESC}\nforged` })).toBe(
      'shop_app: failed: mount failed: \\x1b[2J\\x1b[31m\\nforged',
    );
    const failed = report({
      outcome: 'failed',
      wait: { outcome: 'failed', services: [], pending: [], elapsedMs: 1, failure: { service: 'shop_app', error: 'x', explanation: `password=hunter2 ${ESC}` } },
    });
    expect(formatOutcome(failed, plain)).toBe('failed: password=*** \\x1b[2J\\x1b[31m\n');
  });
});
