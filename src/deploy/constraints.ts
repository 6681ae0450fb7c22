/**
 * Placement constraints as Swarm's scheduler reads them: `key == value` or `key != value`, values compared without
 * regard to case, a missing label matching `!=` only. Nodes that are drained or not ready take no tasks.
 */
import type { SwarmNode } from './engine.js';

export interface Constraint {
  key: string;
  equal: boolean;
  value: string;
  text: string;
}

/** A constraint, or undefined when it is not `key ==|!= value` (Swarm itself refuses those at deploy). */
export function parseConstraint(text: string): Constraint | undefined {
  const match = /^\s*([\w.-]+)\s*(==|!=)\s*(.*?)\s*$/.exec(text);
  if (!match || match[3] === '') return undefined;
  return { key: match[1], equal: match[2] === '==', value: match[3], text };
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
