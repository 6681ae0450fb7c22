/** "Did you mean" support: the closest known name within a small edit distance. */

/**
 * Names longer than this are too far from any to suggest one: a typo is made in a name one types, and the work
 * grows with the product of the two lengths.
 */
const MAX_TYPED = 256;

/**
 * Edit distance where swapping two neighbouring letters counts as one edit (`imgae` -> `image`); Infinity when a
 * name is longer than MAX_TYPED (and the two differ). Three rows are kept, not the whole table.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length > MAX_TYPED || b.length > MAX_TYPED) return Infinity;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2] + 1);
      row.push(best);
    }
    [before, previous] = [previous, row];
  }
  return previous[b.length];
}

/**
 * Work left for suggestions, in characters compared: one budget is shared by the searches of one run over one
 * list of names, so that a file with thousands of near misses costs time in proportion to its size.
 */
export interface SuggestionBudget {
  left: number;
}

/** Ample for the typos of any real file (some 20 ms of work); past it, names get no suggestion. */
export function suggestionBudget(): SuggestionBudget {
  return { left: 4_000_000 };
}

/**
 * The known name nearest `name` (ignoring case) within a third of its length, the first of the nearest; with
 * `other`, never `name` itself. The search stops where the budget ends.
 */
export function nearest(name: string, known: Iterable<string>, budget = suggestionBudget(), other = false): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    if (budget.left <= 0) break;
    const lowered = candidate.toLowerCase();
    budget.left -= lowered.length + 1;
    // The distance is at least the difference in length.
    if (Math.abs(lowered.length - lower.length) >= bestDistance || lowered.length > MAX_TYPED || lower.length > MAX_TYPED) continue;
    budget.left -= (lower.length + 1) * (lowered.length + 1);
    if (budget.left < 0) break;
    const d = editDistance(lower, lowered);
    if (d < bestDistance && (d > 0 || !other)) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** The nearest known name, else a known name that starts the given one (`aws` for `aws-prod`), the longest. */
export function closest(name: string, known: Iterable<string>, budget = suggestionBudget()): string | undefined {
  if (budget.left <= 0) return undefined;
  const candidates = [...known];
  const near = nearest(name, candidates, budget);
  if (near !== undefined || budget.left <= 0) return near;
  budget.left -= candidates.length;
  const lower = name.toLowerCase();
  let best: string | undefined;
  for (const candidate of candidates) {
    if (candidate.length >= 2 && (best === undefined || candidate.length > best.length) && lower.startsWith(candidate.toLowerCase())) best = candidate;
  }
  return best;
}

export function didYouMean(name: string, known: Iterable<string>, budget?: SuggestionBudget): string {
  const match = closest(name, known, budget);
  return match ? ` (did you mean "${match}"?)` : '';
}

/**
 * A chain (a cycle: its first step again at the end) joined with " -> ": at most `max` steps from its start, then
 * how many more there are, then its last step. A cycle of thousands of services is no line of thousands of names.
 */
export function someSteps(steps: readonly string[], max = 20): string {
  if (steps.length <= max + 1) return steps.join(' -> ');
  return `${steps.slice(0, max).join(' -> ')} -> ... and ${steps.length - max - 1} more -> ${steps[steps.length - 1]}`;
}

/** At most `max` names joined for a hint, then how many more there are. */
export function someNames(names: readonly string[], max = 30): string {
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}
