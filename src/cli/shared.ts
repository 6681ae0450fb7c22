import type { Finding } from '../findings.js';
import type { IO } from '../io.js';
import { colors, plain, type Style } from '../report/findings.js';

/** 0 ok; 1 findings or a --check difference; 2 unusable input or a usage error. */
export const EXIT = { ok: 0, findings: 1, input: 2 } as const;

export type CommandResult = (code: number) => void;

/** Findings that mean the input itself is unusable, like a YAML error or a file the schema refuses: exit code 2, not 1. */
const INPUT_CODES = new Set(['unknown-class', 'invalid-x-voldriver', 'schema']);

export function exitFor(findings: readonly Finding[], strict = false): number {
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.some((f) => INPUT_CODES.has(f.code))) return EXIT.input;
  if (errors.length > 0 || (strict && findings.some((f) => f.severity === 'warning'))) return EXIT.findings;
  return EXIT.ok;
}

/** The style for io's streams, decided when something is first styled: asking whether stdout is a terminal opens it. */
export function styleFor(io: IO): Style {
  let chosen: Style | undefined;
  const pick = () => (chosen ??= io.color ? colors : plain);
  return {
    red: (text) => pick().red(text),
    yellow: (text) => pick().yellow(text),
    cyan: (text) => pick().cyan(text),
    dim: (text) => pick().dim(text),
    bold: (text) => pick().bold(text),
    green: (text) => pick().green(text),
  };
}
