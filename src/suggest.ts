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

export function closest(name: string, known: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const candidates = [...known];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  if (best !== undefined && bestDistance <= limit) return best;
  // Else a known name that starts the given one (`aws` for `aws-prod`), the longest.
  return candidates.filter((c) => c.length >= 2 && lower.startsWith(c.toLowerCase())).sort((a, b) => b.length - a.length)[0];
}

export function didYouMean(name: string, known: Iterable<string>): string {
  const match = closest(name, known);
  return match ? ` (did you mean "${match}"?)` : '';
}
