/**
 * `{name}` placeholders in policy values. `{{ ... }}` is left alone: it is Docker's own template syntax
 * (`{{.Task.Slot}}` in volume names), not ours.
 */
import { MAX_EXPANDED } from '../compose/limits.js';

const PLACEHOLDER = /\{\{.*?\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function placeholdersIn(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) if (match[1]) names.push(match[1]);
  return names;
}

/** Whether the whole value is one placeholder, e.g. "{size}": then the parameter's own type and unit apply. */
export function soleplaceholder(template: string): string | undefined {
  const match = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(template);
  return match?.[1];
}

/**
 * The template with its placeholders filled. One that would grow past MAX_EXPANDED (parameters that double one
 * another) is left as it is, after `onTooLong`.
 */
export function fillPlaceholders(
  template: string,
  lookup: (name: string) => string | undefined,
  onMissing: (name: string) => void,
  onTooLong: () => void = () => {},
): string {
  const limit = Math.max(template.length, MAX_EXPANDED);
  let out = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const [whole, name] = match;
    let value = whole;
    if (name) {
      const found = lookup(name);
      if (found === undefined) onMissing(name);
      else value = found;
    }
    out += template.slice(last, match.index) + value;
    last = match.index + whole.length;
    if (out.length > limit) {
      onTooLong();
      return template;
    }
  }
  return out + template.slice(last);
}
