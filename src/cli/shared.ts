import type { IO } from '../io.js';
import { colors, plain, type Style } from '../report/findings.js';

/** 0 ok; 1 findings or a --check difference; 2 unusable input or a usage error. */
export const EXIT = { ok: 0, findings: 1, input: 2 } as const;

export type CommandResult = (code: number) => void;

export function styleFor(io: IO): Style {
  return io.color ? colors : plain;
}
