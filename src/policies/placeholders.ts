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

/**
 * A brace group written as a placeholder but that is none (`{nfs-server}`, `{ share }`, `{nfs.server}`, `{1st}`):
 * render would leave it in the value as text, an NFS address `{nfs-server}`. Each as written, with the name it
 * probably meant. `{{...}}`, `${...}` and text that is no name (`{"a": 1}`, `{}`) are left alone.
 */
export function notPlaceholders(template: string): { written: string; meant: string }[] {
  const out: { written: string; meant: string }[] = [];
  for (const match of template.matchAll(/\{\{.*?\}\}|(\$?)\{([^{}]*)\}/g)) {
    const [written, dollar, inner] = match;
    if (inner === undefined || dollar || /^[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) continue;
    const name = inner.trim();
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) continue;
    const meant = name.replace(/[.-]/g, '_');
    out.push({ written, meant: /^[0-9]/.test(meant) ? `_${meant}` : meant });
  }
  return out;
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
