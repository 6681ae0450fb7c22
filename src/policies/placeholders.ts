/**
 * `{name}` placeholders in policy values. `{{ ... }}` is left alone: it is Docker's own template syntax
 * (`{{.Task.Slot}}` in volume names), not ours.
 */
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

export function fillPlaceholders(
  template: string,
  lookup: (name: string) => string | undefined,
  onMissing: (name: string) => void,
): string {
  return template.replace(PLACEHOLDER, (whole, name: string | undefined) => {
    if (!name) return whole;
    const value = lookup(name);
    if (value === undefined) {
      onMissing(name);
      return whole;
    }
    return value;
  });
}
