/** Unified diff of input and output, coloured for terminals. */
import { createTwoFilesPatch } from 'diff';
import type { Style } from './findings.js';
import { printable } from './printable.js';

export function unifiedDiff(name: string, before: string, after: string, style: Style): string {
  if (before === after) return '';
  return shown(createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, '', '', { context: 3 }), style);
}

/**
 * The same diff, or undefined when more than `maxEdits` lines are added or removed: finding the changes takes time
 * growing with the square of their number (a minute for 16,000), this bounds it.
 */
export function boundedDiff(name: string, before: string, after: string, style: Style, maxEdits: number): string | undefined {
  if (before === after) return '';
  const patch = createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, '', '', { context: 3, maxEditLength: maxEdits });
  return patch === undefined ? undefined : shown(patch, style);
}

function shown(patch: string, style: Style): string {
  const lines = patch.split('\n');
  // The first line is a separator the diff library adds; a unified diff starts at "---".
  const start = lines.findIndex((line) => line.startsWith('---'));
  return lines
    .slice(start)
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
