/** How a scalar was written in the source text: for checks that care about quoting, not just the parsed value. */
import { isAlias, isScalar, Scalar } from 'yaml';
import type { DocPath } from '../findings.js';
import type { ComposeProject } from './project.js';
import { positionOf, resolveAlias } from './load.js';
import { nodeAtPath } from './locate.js';

export interface RawScalar {
  /** The text as written, quotes included. */
  source: string;
  /** Written without quotes (a plain scalar), so its type depends on the YAML reader. */
  plain: boolean;
  /** The value as this tool's YAML reader parsed it. */
  value: unknown;
  file: string;
  line: number;
  col: number;
}

/**
 * The scalar at `path` in the last file that sets it (a later file overrides an earlier one). Undefined when no
 * file has it, or when it is not a scalar.
 */
export function rawScalar(project: Pick<ComposeProject, 'sources'>, path: DocPath): RawScalar | undefined {
  for (let index = project.sources.length - 1; index >= 0; index--) {
    const src = project.sources[index];
    const found = nodeAtPath(src, path);
    if (found.depth !== path.length) continue;
    // An alias is reported where it is used; its text is the anchored scalar's.
    const node = isAlias(found.node) ? resolveAlias(src.doc, found.node) : found.node;
    if (!isScalar(node) || !node.range) return undefined;
    const [start, end] = node.range;
    const at = found.node?.range?.[0] ?? start;
    return {
      source: src.text.slice(start, end),
      // An explicit tag (!!str 010) fixes the type whatever the reader.
      plain: node.type === Scalar.PLAIN && !node.tag,
      value: node.value,
      ...positionOf(src, at),
    };
  }
  return undefined;
}
