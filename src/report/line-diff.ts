/**
 * A line diff whose cost grows with the size of the texts, not with the square of the number of changed lines.
 *
 * The diff library finds a shortest edit script (Myers), in time proportional to the texts' length times the
 * number of lines added or removed: a render that adds 15,000 lines to a 25,000-line file took minutes. Render
 * keeps every line it does not change, and most lines of a compose file occur once (a volume's key, a service's
 * name), so those lines pin the two texts together: lines that occur once in each side are matched in the
 * longest run that keeps their order, and only the short stretches between two such lines are left to the
 * library, with a bounded effort. A stretch too large for that is written as removed and added whole: still a
 * correct diff, only longer than the shortest one.
 */
import { diffArrays } from 'diff';

/** A run of lines (each with its own line break, the last one perhaps without) kept, removed or added. */
export interface LineRun {
  kind: ' ' | '-' | '+';
  lines: string[];
}

/** Work the library may do on one stretch: its length times the edits it may look for. */
const STRETCH_BUDGET = 4_000_000;
/** How many times stretches are split again by the lines unique within them before the library takes over. */
const MAX_DEPTH = 32;

/** The text's lines, each with its "\n" (a "\r" before it is part of the line), as the diff library splits them. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', start)) {
    lines.push(text.slice(start, at + 1));
    start = at + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** The runs that turn `before` into `after`: kept lines in order, and within a change the removed lines first. */
export function diffLineRuns(before: string[], after: string[]): LineRun[] {
  const runs = new Runs();
  diffRange(before, 0, before.length, after, 0, after.length, runs, 0);
  return runs.done;
}

class Runs {
  readonly list: LineRun[] = [];
  /** Removed and added lines waiting for the next kept line, so that a change lists its removed lines first. */
  private removed: string[] = [];
  private added: string[] = [];

  push(kind: LineRun['kind'], lines: string[], from: number, to: number): void {
    if (from >= to) return;
    if (kind === '-') for (let i = from; i < to; i++) this.removed.push(lines[i]);
    else if (kind === '+') for (let i = from; i < to; i++) this.added.push(lines[i]);
    else {
      this.flush();
      const last = this.list[this.list.length - 1];
      const run = last?.kind === ' ' ? last : this.open(' ');
      for (let i = from; i < to; i++) run.lines.push(lines[i]);
    }
  }

  /** The pending change, as one removed and one added run. */
  flush(): void {
    if (this.removed.length > 0) this.list.push({ kind: '-', lines: this.removed });
    if (this.added.length > 0) this.list.push({ kind: '+', lines: this.added });
    this.removed = [];
    this.added = [];
  }

  private open(kind: LineRun['kind']): LineRun {
    const run: LineRun = { kind, lines: [] };
    this.list.push(run);
    return run;
  }

  get done(): LineRun[] {
    this.flush();
    return this.list;
  }
}

function diffRange(a: string[], aStart: number, aEnd: number, b: string[], bStart: number, bEnd: number, out: Runs, depth: number): void {
  // Lines both ends share are kept as they are.
  let head = 0;
  while (aStart + head < aEnd && bStart + head < bEnd && a[aStart + head] === b[bStart + head]) head++;
  let tail = 0;
  while (aEnd - tail > aStart + head && bEnd - tail > bStart + head && a[aEnd - tail - 1] === b[bEnd - tail - 1]) tail++;
  out.push(' ', a, aStart, aStart + head);
  const from = [aStart + head, bStart + head];
  const to = [aEnd - tail, bEnd - tail];
  if (from[0] === to[0] || from[1] === to[1]) {
    out.push('-', a, from[0], to[0]);
    out.push('+', b, from[1], to[1]);
  } else {
    const anchors = depth < MAX_DEPTH ? uniqueAnchors(a, from[0], to[0], b, from[1], to[1]) : [];
    if (anchors.length === 0) stretch(a, from[0], to[0], b, from[1], to[1], out);
    else {
      let ai = from[0];
      let bi = from[1];
      for (const [aAt, bAt] of anchors) {
        diffRange(a, ai, aAt, b, bi, bAt, out, depth + 1);
        out.push(' ', a, aAt, aAt + 1);
        ai = aAt + 1;
        bi = bAt + 1;
      }
      diffRange(a, ai, to[0], b, bi, to[1], out, depth + 1);
    }
  }
  out.push(' ', a, aEnd - tail, aEnd);
}

/**
 * Lines that occur exactly once in each range, as [position in a, position in b], in the longest chain that is
 * in order on both sides (patience sorting, n log n).
 */
function uniqueAnchors(a: string[], aStart: number, aEnd: number, b: string[], bStart: number, bEnd: number): [number, number][] {
  // Per line: where it is in a (-1 once seen twice), where in b (-1 once seen twice).
  const seen = new Map<string, [number, number]>();
  for (let i = aStart; i < aEnd; i++) {
    const entry = seen.get(a[i]);
    if (entry === undefined) seen.set(a[i], [i, -2]);
    else entry[0] = -1;
  }
  const pairs: [number, number][] = [];
  for (let j = bStart; j < bEnd; j++) {
    const entry = seen.get(b[j]);
    if (entry === undefined || entry[0] === -1) continue;
    entry[1] = entry[1] === -2 ? j : -1;
  }
  for (let i = aStart; i < aEnd; i++) {
    const entry = seen.get(a[i])!;
    if (entry[0] === i && entry[1] >= 0) pairs.push([i, entry[1]]);
  }
  if (pairs.length === 0) return pairs;
  // Longest increasing run of b positions, pairs being in order of a.
  const tops: number[] = [];
  const previous = new Int32Array(pairs.length);
  for (let k = 0; k < pairs.length; k++) {
    const value = pairs[k][1];
    let low = 0;
    let high = tops.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (pairs[tops[mid]][1] < value) low = mid + 1;
      else high = mid;
    }
    previous[k] = low > 0 ? tops[low - 1] : -1;
    tops[low] = k;
  }
  const chain: [number, number][] = [];
  for (let k = tops[tops.length - 1]; k !== -1; k = previous[k]) chain.push(pairs[k]);
  return chain.reverse();
}

/** A stretch with no line unique on both sides: the library's shortest script, within the budget; else all of it replaced. */
function stretch(a: string[], aStart: number, aEnd: number, b: string[], bStart: number, bEnd: number, out: Runs): void {
  const size = aEnd - aStart + (bEnd - bStart);
  const result = diffArrays(a.slice(aStart, aEnd), b.slice(bStart, bEnd), { maxEditLength: Math.max(1, Math.floor(STRETCH_BUDGET / size)) });
  if (result === undefined) {
    out.push('-', a, aStart, aEnd);
    out.push('+', b, bStart, bEnd);
    return;
  }
  for (const part of result) {
    const kind = part.added ? '+' : part.removed ? '-' : ' ';
    out.push(kind, part.value, 0, part.value.length);
  }
}

/**
 * A unified diff (`--- a/NAME`, `+++ b/NAME`, hunks with `context` lines around each change), as diff(1) -u
 * writes it; undefined when more than `maxChanged` lines are added or removed.
 */
export function unifiedPatch(oldName: string, newName: string, before: string, after: string, context = 3, maxChanged = Infinity): string | undefined {
  const runs = diffLineRuns(splitLines(before), splitLines(after));
  let changed = 0;
  for (const run of runs) if (run.kind !== ' ') changed += run.lines.length;
  if (changed > maxChanged) return undefined;
  const out = [`--- ${quotedName(oldName)}`, `+++ ${quotedName(newName)}`];
  let oldLine = 1;
  let newLine = 1;
  let hunk: { oldStart: number; newStart: number; lines: string[] } | undefined;
  const close = (kept: number) => {
    const oldCount = oldLine - hunk!.oldStart + kept;
    const newCount = newLine - hunk!.newStart + kept;
    // An empty side names the line before the change, as diff -u does.
    out.push(`@@ -${oldCount === 0 ? hunk!.oldStart - 1 : hunk!.oldStart},${oldCount} +${newCount === 0 ? hunk!.newStart - 1 : hunk!.newStart},${newCount} @@`);
    for (const line of hunk!.lines) out.push(line);
    hunk = undefined;
  };
  runs.forEach((run, index) => {
    if (run.kind !== ' ') {
      if (!hunk) {
        const previous = runs[index - 1];
        const lead = previous ? previous.lines.slice(Math.max(0, previous.lines.length - context)) : [];
        hunk = { oldStart: oldLine - lead.length, newStart: newLine - lead.length, lines: [] };
        for (const line of lead) addLine(hunk.lines, ' ', line);
      }
      for (const line of run.lines) addLine(hunk.lines, run.kind, line);
      if (run.kind === '-') oldLine += run.lines.length;
      else newLine += run.lines.length;
      return;
    }
    if (hunk) {
      // Kept lines between two changes join their hunks when the two contexts would meet.
      if (run.lines.length <= 2 * context && index < runs.length - 1) {
        for (const line of run.lines) addLine(hunk.lines, ' ', line);
      } else {
        const kept = Math.min(run.lines.length, context);
        for (let i = 0; i < kept; i++) addLine(hunk.lines, ' ', run.lines[i]);
        close(kept);
      }
    }
    oldLine += run.lines.length;
    newLine += run.lines.length;
  });
  if (hunk) close(0);
  return `${out.join('\n')}\n`;
}

/** A line of a hunk: its break dropped, and the marker diff -u writes after a last line that has none. */
function addLine(lines: string[], kind: LineRun['kind'], line: string): void {
  if (line.endsWith('\n')) lines.push(kind + line.slice(0, -1));
  else lines.push(kind + line, '\\ No newline at end of file');
}

/** A file name as Git and GNU diff write it: in C-style quotes when it holds controls, non-ASCII, `"` or `\`. */
function quotedName(name: string): string {
  if (!/[^\x20-\x7e]|["\\]/.test(name)) return name;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };
  let quoted = '"';
  for (const byte of new TextEncoder().encode(name)) {
    quoted += named[byte] ?? (byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`);
  }
  return `${quoted}"`;
}
