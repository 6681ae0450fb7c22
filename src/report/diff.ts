/** Unified diff of input and output, coloured for terminals. */
import { unifiedPatch } from './line-diff.js';
import type { Style } from './findings.js';
import { printable } from './printable.js';

export function unifiedDiff(name: string, before: string, after: string, style: Style): string {
  if (before === after) return '';
  return shown(unifiedPatch(`a/${name}`, `b/${name}`, before, after)!, style);
}

/** The same diff, or undefined when more than `maxEdits` lines are added or removed (a diff too long to show). */
export function boundedDiff(name: string, before: string, after: string, style: Style, maxEdits: number): string | undefined {
  if (before === after) return '';
  const patch = unifiedPatch(`a/${name}`, `b/${name}`, before, after, 3, maxEdits);
  return patch === undefined ? undefined : shown(patch, style);
}

function shown(patch: string, style: Style): string {
  return patch
    .split('\n')
    // The file's own control characters are shown escaped; the colours are the only escape sequences printed.
    .map(printable)
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return style.bold(line);
      if (line.startsWith('@@')) return style.cyan(line);
      if (line.startsWith('+')) return style.green(line);
      if (line.startsWith('-')) return style.red(line);
      return line;
    })
    .join('\n');
}
