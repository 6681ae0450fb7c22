/** The policy-side check, listed with the others; loading a policy already refuses its errors. */
import { ACCESS_CODE, checkPolicyAccess } from '../policies/access.js';
import type { Check } from './types.js';

export const accessMismatch: Check = {
  code: ACCESS_CODE,
  severity: 'error',
  summary: 'a policy class whose access (single/multi) the driver it maps to cannot give, in some environment',
  docs: 'docs/checks.md#access-mismatch',
  run(ctx) {
    return checkPolicyAccess(ctx.policy);
  },
};
