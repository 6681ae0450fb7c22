/** "Did you mean" support: the closest known name within a small edit distance. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(up + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

export function closest(name: string, known: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const candidates = [...known];
  // A known name that starts the given one (`aws` for `aws-prod`) is the likeliest intent.
  const prefix = candidates.filter((c) => c.length >= 2 && lower.startsWith(c.toLowerCase())).sort((a, b) => b.length - a.length)[0];
  if (prefix) return prefix;
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
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

export function didYouMean(name: string, known: Iterable<string>): string {
  const match = closest(name, known);
  return match ? ` (did you mean "${match}"?)` : '';
}
