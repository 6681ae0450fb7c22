/** Shell-style globs for policy rules: `*`, `?` and `[abc]`, matched against the whole name. */
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let cached = cache.get(glob);
  if (cached) return cached;
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) source += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        source += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  cached = new RegExp(`^${source}$`);
  cache.set(glob, cached);
  return cached;
}

export function matchesAny(name: string, globs: string | string[] | undefined): boolean {
  if (globs === undefined) return true;
  return (Array.isArray(globs) ? globs : [globs]).some((glob) => globToRegExp(glob).test(name));
}
