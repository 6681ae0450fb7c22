/**
 * Which nodes have a volume driver. A node reports its volume plugins in Description.Engine.Plugins (type
 * Volume): legacy plugins once activated there, managed plugins when enabled, with their tag. The scheduler takes
 * `name` and `name:latest` as the same and never asks for `local`.
 */
import { eligibleNodes, nodeName } from './constraints.js';
import type { EngineInfo, ManagedPlugin, SwarmNode } from './engine.js';

export function driverKey(driver: string | undefined): string {
  const name = driver === undefined || driver === '' ? 'local' : driver;
  return name.endsWith(':latest') ? name.slice(0, -':latest'.length) : name;
}

export function sameDriver(a: string | undefined, b: string | undefined): boolean {
  return driverKey(a) === driverKey(b);
}

export function nodeHasDriver(node: SwarmNode, driver: string, local?: { nodeId?: string; info: EngineInfo }): boolean {
  const key = driverKey(driver);
  if (key === 'local') return true;
  const reported = node.Description?.Engine?.Plugins ?? [];
  if (reported.some((plugin) => plugin.Type === 'Volume' && driverKey(plugin.Name) === key)) return true;
  // This node's own list is current; its report to the Swarm follows a little later.
  return local?.nodeId === node.ID && (local.info.Plugins?.Volume ?? []).some((name) => driverKey(name) === key);
}

export interface DriverAvailability {
  service: string;
  driver: string;
  /** Nodes the service may run on. */
  eligible: string[];
  /** Of those, the nodes that have the driver. */
  withDriver: string[];
  /** A managed plugin of that name installed on this node but disabled. */
  disabledHere?: string;
}

export function driverAvailability(
  service: string,
  constraints: readonly string[],
  driver: string,
  nodes: readonly SwarmNode[],
  local: { nodeId?: string; info: EngineInfo; plugins: readonly ManagedPlugin[] },
): DriverAvailability {
  const eligible = eligibleNodes(nodes, constraints);
  const withDriver = eligible.filter((node) => nodeHasDriver(node, driver, local));
  const disabled = local.plugins.find((plugin) => !plugin.Enabled && driverKey(plugin.Name) === driverKey(driver));
  return {
    service,
    driver,
    eligible: eligible.map(nodeName),
    withDriver: withDriver.map(nodeName),
    disabledHere: disabled?.Name,
  };
}
