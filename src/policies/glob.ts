/**
 * Shell-style globs for policy rules: `*`, `?`, `[abc]`, `[a-z]` and `[!abc]`, matched against the whole name.
 * Matched by a two-pointer walk that returns to the last `*` only, so the time is at most the name's length
 * times the pattern's, whatever the pattern (a regular expression built from `*a*a*a*...b` backtracks
 * exponentially).
 */
type Token = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; code: number } | { kind: 'set'; ranges: number[]; negated: boolean };

/** A glob that cannot be read: an empty `[]` or a range whose ends are out of order. */
export class GlobError extends Error {}

const cache = new Map<string, Token[]>();

export function parseGlob(glob: string): Token[] {
  const cached = cache.get(glob);
  if (cached) return cached;
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      // Consecutive stars match what one does.
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'any' });
    else if (c === '[' && glob.indexOf(']', i + 1) !== -1) {
      const end = glob.indexOf(']', i + 1);
      let body = glob.slice(i + 1, end);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      if (body === '') throw new GlobError(`"${glob}": "[${negated ? '!' : ''}]" matches no character`);
      const ranges: number[] = [];
      for (let j = 0; j < body.length; j++) {
        const low = body.charCodeAt(j);
        if (body[j + 1] === '-' && j + 2 < body.length) {
          const high = body.charCodeAt(j + 2);
          if (high < low) throw new GlobError(`"${glob}": the range "${body.slice(j, j + 3)}" is out of order`);
          ranges.push(low, high);
          j += 2;
        } else ranges.push(low, low);
      }
      tokens.push({ kind: 'set', ranges, negated });
      i = end;
    } else tokens.push({ kind: 'char', code: glob.charCodeAt(i) });
  }
  cache.set(glob, tokens);
  return tokens;
}

function matchesOne(token: Token, code: number): boolean {
  if (token.kind === 'any') return true;
  if (token.kind === 'char') return token.code === code;
  if (token.kind === 'star') return false;
  let inside = false;
  for (let r = 0; r < token.ranges.length && !inside; r += 2) inside = code >= token.ranges[r] && code <= token.ranges[r + 1];
  return inside !== token.negated;
}

export function matchesGlob(name: string, glob: string): boolean {
  const tokens = parseGlob(glob);
  let t = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token !== undefined && token.kind === 'star') {
      star = t++;
      resume = n;
    } else if (token !== undefined && matchesOne(token, name.charCodeAt(n))) {
      t++;
      n++;
    } else if (star >= 0) {
      // Let the last star take one more character and try the rest again from there.
      t = star + 1;
      n = ++resume;
    } else return false;
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}

export function matchesAny(name: string, globs: string | string[] | undefined): boolean {
  if (globs === undefined) return true;
  return (Array.isArray(globs) ? globs : [globs]).some((glob) => matchesGlob(name, glob));
}
