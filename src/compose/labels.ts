/** Labels in their list form: `key=value`, or a lone `key` for an empty value. */
export function parseLabel(entry: unknown): [key: string, value: string] {
  const text = String(entry);
  const eq = text.indexOf('=');
  return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
}

export function labelKey(entry: unknown): string {
  return parseLabel(entry)[0];
}
