/** The policy `init` classifies by: the policy in use, or, when it gives no class by itself, the built-in rules. */
import { parse } from 'yaml';
import { InputError } from '../findings.js';
import { ADOPTION_CLASSES } from './presets/adoption.js';
import type { Policy, PolicyDocument } from './types.js';

const adoption = parse(ADOPTION_CLASSES) as Pick<PolicyDocument, 'default_class' | 'rules'>;

/** The classes the built-in rules give. */
export const ADOPTION_CLASS_NAMES = [...new Set([adoption.default_class!, ...adoption.rules!.map((rule) => rule.class)])];

/**
 * A policy with rules or a default class classifies as it is. One with neither (the embedded default, most
 * policies written for stacks that declare every class) gets the built-in rules, when it defines their classes.
 */
export function classifyingPolicy(policy: Policy): Policy {
  if ((policy.data.rules?.length ?? 0) > 0 || policy.data.default_class !== undefined) return policy;
  const missing = ADOPTION_CLASS_NAMES.filter((name) => !policy.data.classes[name]);
  if (missing.length > 0) {
    throw new InputError(
      `policy ${policy.origin} has no rules and no default_class, and does not define ${missing.map((name) => `"${name}"`).join(', ')}, the classes of the built-in rules: nothing to classify volumes by`,
      undefined,
      'add rules or a default_class to the policy, or pass --rules builtin:NAME',
    );
  }
  return { ...policy, data: { ...policy.data, default_class: adoption.default_class, rules: adoption.rules } };
}
