import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/findings.js';
import { checkPolicyAccess } from '../../src/policies/access.js';
import { builtinPolicies } from '../../src/policies/presets/index.js';
import { loadBuiltinPolicy, loadPolicyText } from '../../src/policies/load.js';
import { fixture, run, seen } from './helpers.js';

const code = 'access-mismatch';
const path = (name: string) => fixture(code, `${name}.yml`);

function loadError(name: string): InputError {
  try {
    loadPolicyText(readFileSync(path(name), 'utf8'), path(name));
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`policy ${name} loaded`);
}

/** A policy loaded with the check's errors turned into warnings, to call checkPolicyAccess on it directly. */
function lenient(name: string) {
  const text = readFileSync(path(name), 'utf8').replace(/^version: 1$/m, 'version: 1\nchecks:\n  access-mismatch: warning');
  return loadPolicyText(text, path(name));
}

describe(code, () => {
  it('refuses a policy whose environment maps a multi class to a single-attach driver', () => {
    const error = loadError('env-driver');
    expect(error.message).toContain('class "shared" promises access: multi, but in environment "dev" it maps to rexray/ebs');
    expect(error.location).toEqual({ file: path('env-driver'), line: 10, col: 17 });
    expect(error.hint).toContain('multi-attach driver');
  });

  it('works out the options of an environment that keeps the driver', () => {
    const error = loadError('env-opts');
    expect(error.message).toContain('in environment "staging" it maps to pxd, which attaches to one node at a time');
    expect(error.location).toEqual({ file: path('env-opts'), line: 13, col: 11 });
  });

  it('checks the base mapping and custom drivers', () => {
    expect(loadError('base').message).toContain('in its base mapping it maps to local, which keeps separate data on each node');
    expect(loadError('base').location).toEqual({ file: path('base'), line: 8, col: 13 });
    expect(loadError('custom').message).toContain('maps to mycorp/block');
  });

  it('returns policy findings with a path into the policy', () => {
    const findings = checkPolicyAccess(lenient('env-driver'));
    expect(findings).toMatchObject([
      { code, severity: 'warning', source: 'policy', path: ['classes', 'shared', 'environments', 'dev', 'driver'], line: 12, col: 17 },
    ]);
  });

  it('accepts multi drivers, single classes anywhere, unknown drivers and undecided placeholders', () => {
    const policy = loadPolicyText(readFileSync(path('ok'), 'utf8'), path('ok'));
    expect(checkPolicyAccess(policy)).toEqual([]);
  });

  it('accepts every built-in policy', () => {
    for (const name of Object.keys(builtinPolicies)) expect(checkPolicyAccess(loadBuiltinPolicy(`builtin:${name}`)), name).toEqual([]);
  });

  it('follows the policy and class levels: a warning is reported at render, off is silent', () => {
    const result = run(code, 'compose.yml', { policy: 'downgraded.yml' });
    expect(seen(result, code)).toEqual([{ severity: 'warning', at: `${path('downgraded')}:7:13`, volume: undefined }]);
  });
});
