/**
 * How deep a document and an interpolation may nest. Real stacks and policies nest a dozen levels; the limit
 * keeps every reader and every recursive step far from the call stack's end, so a deeper input gets a message
 * with its place instead of a crash.
 */
export const MAX_NESTING = 128;

export function nestingMessage(): string {
  return `nesting deeper than ${MAX_NESTING} levels`;
}

/**
 * How long substitution (${VAR} interpolation, {placeholders}) may make a value beyond its own text. Variables
 * that refer to earlier ones can double a value at every step; the limit stops that long before memory runs out.
 */
export const MAX_EXPANDED = 4 * 1024 * 1024;

export function expandedMessage(what: string): string {
  return `${what} is longer than ${MAX_EXPANDED / 1024 / 1024} MiB once substituted`;
}

/**
 * Where a YAML text first nests deeper than MAX_NESTING, by a quick reading of its shape: indentation opens a
 * block level, each "- " that starts a line's content one more, each "[" or "{" outside quotes and comments one
 * more until it closes. Used to place the message when the yaml library's own recursion gave out first.
 */
export function deepestPlace(text: string): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    let p = at;
    while (p < end && text[p] === ' ') p++;
    if (p < end && text[p] !== '#' && text[p] !== '\r') {
      const indent = p - at;
      if (flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
      }
      let depth = indents.length + flow;
      if (depth > MAX_NESTING) return p;
      let quote = '';
      for (; p < end; p++) {
        const c = text[p];
        if (quote) {
          if (c === quote) quote = '';
          continue;
        }
        if (c === '"' || c === "'") quote = c;
        else if (c === '#' && (p === at || text[p - 1] === ' ')) break;
        else if (c === '[' || c === '{' || (c === '-' && text[p + 1] === ' ' && flow === 0)) {
          if (c !== '-') flow++;
          if (++depth > MAX_NESTING) return p;
        } else if ((c === ']' || c === '}') && flow > 0) {
          flow--;
          depth--;
        }
      }
    }
    at = end + 1;
  }
  return undefined;
}
