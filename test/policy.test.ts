/** The policy file: the built-in policies, placeholders, environments. */
import { describe, expect, it } from 'vitest';
import { loadBuiltinPolicy, loadPolicyText } from '../src/policies/load.js';
import { builtinPolicies } from '../src/policies/presets/index.js';
import { validateModel } from '../src/schema/validate.js';
import { parse } from 'yaml';

describe('built-in policies', () => {
  for (const [name, text] of Object.entries(builtinPolicies)) {
    it(`builtin:${name} satisfies the policy schema (it is not checked at run time)`, () => {
      const findings = validateModel('policy', parse(text), () => ({ file: name, line: 1, col: 1 }));
      expect(findings).toEqual([]);
      // Loading it untrusted runs every check a user's policy gets.
      expect(() => loadPolicyText(text, `builtin:${name}`)).not.toThrow();
      expect(loadBuiltinPolicy(`builtin:${name}`).data.classes).toHaveProperty('durable');
    });
  }
});
