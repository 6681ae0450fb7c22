/**
 * A Mermaid flowchart of what the volumes become: services -> volumes -> classes -> drivers, one box (subgraph)
 * per environment or stack, side by side. GitHub draws ```mermaid blocks in Markdown and job summaries.
 */
import { severityRank, type Finding } from '../findings.js';
import type { VolumePlan } from '../plan/volume-plan.js';
import { printableLine } from './printable.js';

export interface MermaidSection {
  /** The box's title: an environment, a stack, or both. */
  title: string;
  plans: readonly VolumePlan[];
  findings: readonly Finding[];
}

/**
 * Label text for a quoted Mermaid label: control characters escaped (a newline would end the statement), entity
 * codes for what would end the label or be read as markup.
 */
export function mermaidLabel(text: string): string {
  return printableLine(text).replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/`/g, '#96;');
}

const STYLES = [
  'classDef service fill:#eef4ff,stroke:#4a6fa5',
  'classDef volume fill:#fff8e6,stroke:#b58a1b',
  'classDef klass fill:#eefaf0,stroke:#3d8b4f',
  'classDef driver fill:#f3eefa,stroke:#6d4a9a',
  'classDef warning stroke:#d4a017,stroke-width:3px',
  'classDef error stroke:#cc0000,stroke-width:3px',
];

function section(out: string[], prefix: string, { title, plans, findings }: MermaidSection): void {
  const ids = new Map<string, string>();
  const kinds = new Map<string, string[]>();
  const node = (kind: string, key: string, shape: (label: string) => string, label: string): string => {
    const mapKey = `${kind}\u0000${key}`;
    let id = ids.get(mapKey);
    if (id === undefined) {
      id = `${prefix}${kind[0]}${ids.size}`;
      ids.set(mapKey, id);
      out.push(`    ${id}${shape(`"${mermaidLabel(label)}"`)}`);
      kinds.set(kind, [...(kinds.get(kind) ?? []), id]);
    }
    return id;
  };
  const edges = new Set<string>();
  const edge = (from: string, to: string) => edges.add(`    ${from} --> ${to}`);
  const worst = new Map<string, Finding['severity']>();
  for (const finding of findings) {
    if (finding.volume === undefined) continue;
    const before = worst.get(finding.volume);
    if (before === undefined || severityRank[finding.severity] > severityRank[before]) worst.set(finding.volume, finding.severity);
  }
  out.push(`  subgraph ${prefix}["${mermaidLabel(title)}"]`);
  out.push('    direction LR');
  const marked: Record<string, string[]> = { error: [], warning: [] };
  for (const plan of plans) {
    const volumeLabel = plan.external ? `${plan.volume} (external)` : plan.volume;
    const volume = node('volume', plan.volume, (l) => `[(${l})]`, volumeLabel);
    const severity = worst.get(plan.volume);
    if (severity === 'error' || severity === 'warning') marked[severity].push(volume);
    for (const service of plan.services) edge(node('service', service, (l) => `([${l}])`, service), volume);
    const driverName = plan.driver ?? 'local';
    const driver = node('driver', driverName, (l) => `[/${l}/]`, driverName);
    if (plan.class !== undefined) {
      const klass = node('klass', plan.class, (l) => `{{${l}}}`, plan.class);
      edge(volume, klass);
      edge(klass, driver);
    } else {
      edge(volume, driver);
    }
  }
  out.push(...edges);
  out.push('  end');
  for (const kind of ['service', 'volume', 'klass', 'driver']) {
    const members = kinds.get(kind);
    if (members) out.push(`  class ${members.join(',')} ${kind}`);
  }
  for (const [severity, members] of Object.entries(marked)) if (members.length) out.push(`  class ${members.join(',')} ${severity}`);
}

/**
 * The diagram's source text, without the ```mermaid fence. Each box reads left to right; the boxes, unlinked,
 * stand side by side in a top-to-bottom chart, where Mermaid's layout places the box declared last leftmost: they
 * are declared in reverse, so they read in the order given.
 */
export function mermaidDiagram(sections: readonly MermaidSection[]): string {
  const boxes = sections.map((s, i) => {
    const lines: string[] = [];
    section(lines, `g${i}`, s);
    return lines;
  });
  return ['flowchart TB', ...STYLES.map((style) => `  ${style}`), ...boxes.reverse().flat()].join('\n') + '\n';
}

/** What Mermaid draws with its default settings, which GitHub keeps (and no diagram can raise): characters and links. */
export const MERMAID_LIMITS = { text: 50_000, edges: 500 } as const;

/** Why Mermaid with its default settings would refuse to draw the diagram, or undefined when it draws it. */
export function mermaidTooLarge(text: string): string | undefined {
  const edges = text.split('\n').filter((line) => line.includes(' --> ')).length;
  const over = [edges > MERMAID_LIMITS.edges && `${edges} links (Mermaid draws at most ${MERMAID_LIMITS.edges})`, text.length > MERMAID_LIMITS.text && `${text.length} characters (at most ${MERMAID_LIMITS.text})`].filter(Boolean);
  return over.length ? over.join(' and ') : undefined;
}
