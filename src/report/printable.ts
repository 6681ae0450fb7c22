/**
 * Text from the input on its way to a terminal or a CI log: control characters (escape sequences, a carriage
 * return that overwrites a line, a bell), C1 controls, line and paragraph separators and the bidirectional
 * overrides that reorder what is shown are written as escapes (`\x1b`, `\u202e`), so a file name, a key or a
 * comment cannot restyle, hide or forge what is printed around it.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A block of lines: newlines and tabs are kept, a carriage return only at the end of a line. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (char, offset: number) => (char === '\r' && (offset + 1 === text.length || text[offset + 1] === '\n') ? char : escape(char)));
}

/** One line (a message, a name): newlines and tabs are escaped too. */
export function printableLine(text: string): string {
  return text.replace(UNSAFE_IN_LINE, escape);
}

/** What JSON.stringify leaves as it is among the characters above: DEL, C1 controls, separators, bidi controls. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text with those characters written as `\u` escapes too. They can only stand inside strings, where the
 * escape reads back as the same character: the value parsed is the same.
 */
export function printableJsonText(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value as indented JSON for stdout or stderr, with printableJsonText's escapes, and a final newline. */
export function printableJson(value: unknown): string {
  return `${printableJsonText(JSON.stringify(value, null, 2))}\n`;
}
