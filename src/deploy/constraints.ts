/**
 * Placement constraints as Swarm's scheduler reads them: `key == value` or `key != value`, values compared without
 * regard to case, a missing label matching `!=` only, `node.ip` against an address or a subnet. Nodes that are
 * drained or not ready take no tasks.
 */
import { BlockList, isIP } from 'node:net';
import type { SwarmNode } from './engine.js';

export interface Constraint {
  key: string;
  equal: boolean;
  value: string;
  text: string;
}

/** What Swarm takes as a key and as a value (its manager refuses the service otherwise). */
const KEY = /^[a-z_][a-z0-9\-_.]+$/i;
const VALUE = /^[a-z0-9:\-_\t\n\f\r .*()?+[\]\\^$|/]+$/i;
/** Go's strings.TrimSpace: the white space it takes off both ends. */
const trim = (text: string) =>
  text.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, '');

/**
 * A constraint read as Swarm's manager reads it, or why the manager refuses it: the first `==` splits it (else the
 * first `!=`), and the key and the value must each be of the characters it takes.
 */
export function readConstraint(text: string): Constraint | { problem: 'operator' | 'key' | 'value'; key?: string; value?: string } {
  for (const operator of ['==', '!=']) {
    const at = text.indexOf(operator);
    if (at < 0) continue;
    const key = trim(text.slice(0, at));
    const value = trim(text.slice(at + operator.length));
    if (!KEY.test(key)) return { problem: 'key', key };
    if (!VALUE.test(value)) return { problem: 'value', key, value };
    return { key, equal: operator === '==', value, text };
  }
  return { problem: 'operator' };
}

/** A constraint, or undefined when Swarm refuses it (at deploy, after docker created the services before it). */
export function parseConstraint(text: string): Constraint | undefined {
  const read = readConstraint(text);
  return 'problem' in read ? undefined : read;
}

/** For `node.ip`: whether the value is an address or a subnet (a node.ip constraint with anything else matches no node). */
export function ipMatcher(value: string): ((address: string | undefined) => boolean) | undefined {
  const slash = value.indexOf('/');
  const base = slash < 0 ? value : value.slice(0, slash);
  const family = isIP(base);
  if (family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  if (slash < 0) list.addAddress(base, type);
  else {
    const prefix = value.slice(slash + 1);
    if (!/^\d+$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128)) return undefined;
    list.addSubnet(base, Number(prefix), type);
  }
  return (address) => {
    const own = address === undefined ? 0 : isIP(address);
    return own !== 0 && list.check(address as string, own === 4 ? 'ipv4' : 'ipv6');
  };
}

function labelOf(labels: Record<string, string> | undefined, name: string): string | undefined {
  return labels && Object.hasOwn(labels, name) ? labels[name] : undefined;
}

/** The node's value for a constraint key; null for a key Swarm does not know (then it is not judged). */
function valueOf(node: SwarmNode, key: string): string | undefined | null {
  const lower = key.toLowerCase();
  if (lower === 'node.id') return node.ID;
  if (lower === 'node.hostname') return node.Description?.Hostname;
  if (lower === 'node.role') return node.Spec?.Role;
  if (lower === 'node.platform.os') return node.Description?.Platform?.OS;
  if (lower === 'node.platform.arch') return node.Description?.Platform?.Architecture;
  if (lower.startsWith('node.labels.')) return labelOf(node.Spec?.Labels, key.slice('node.labels.'.length));
  if (lower.startsWith('engine.labels.')) return labelOf(node.Description?.Engine?.Labels, key.slice('engine.labels.'.length));
  return null;
}

/** Whether Swarm's scheduler knows the key: with any other, it places no task anywhere. */
export function knownConstraintKey(key: string): boolean {
  const lower = key.toLowerCase();
  if (['node.id', 'node.hostname', 'node.ip', 'node.role', 'node.platform.os', 'node.platform.arch'].includes(lower)) return true;
  return (lower.startsWith('node.labels.') && lower.length > 'node.labels.'.length) || (lower.startsWith('engine.labels.') && lower.length > 'engine.labels.'.length);
}

export function matchesConstraint(node: SwarmNode, constraint: Constraint): boolean {
  if (constraint.key.toLowerCase() === 'node.ip') {
    const within = ipMatcher(constraint.value);
    if (within === undefined) return false;
    return within(node.Status?.Addr) === constraint.equal;
  }
  const actual = valueOf(node, constraint.key);
  if (actual === null) return true;
  const same = actual !== undefined && actual.toLowerCase() === constraint.value.toLowerCase();
  return constraint.equal ? same : !same;
}

/** Whether Swarm may place a task on the node at all: active and ready. */
export function takesTasks(node: SwarmNode): boolean {
  return (node.Spec?.Availability ?? 'active') === 'active' && (node.Status?.State ?? 'ready') === 'ready';
}

/** The nodes a service with these constraints may run on. */
export function eligibleNodes(nodes: readonly SwarmNode[], constraints: readonly string[]): SwarmNode[] {
  const parsed = constraints.map(parseConstraint).filter((c): c is Constraint => c !== undefined);
  return nodes.filter((node) => takesTasks(node) && parsed.every((c) => matchesConstraint(node, c)));
}

export function nodeName(node: SwarmNode): string {
  return node.Description?.Hostname ?? node.ID.slice(0, 12);
}
