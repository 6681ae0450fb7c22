/**
 * The step's outputs within what GitHub keeps: 1 MiB for all the outputs of a job together (a larger one fails the
 * job as it ends, "Job outputs exceed 1,048,576 bytes"). A value that does not fit is left out whole, never cut:
 * half a JSON document would be read by fromJSON as an error, or as less than there is.
 */
export const OUTPUTS_LIMIT = 1024 * 1024;

export interface Output {
  name: string;
  value: string;
}

/** The outputs to set, in order, as long as they fit together; the others, with their size in bytes. */
export function fitOutputs(outputs: readonly Output[], limit = OUTPUTS_LIMIT): { kept: Output[]; leftOut: (Output & { bytes: number })[] } {
  const kept: Output[] = [];
  const leftOut: (Output & { bytes: number })[] = [];
  let used = 0;
  for (const output of outputs) {
    const bytes = Buffer.byteLength(output.name, 'utf8') + Buffer.byteLength(output.value, 'utf8');
    if (used + bytes > limit) {
      leftOut.push({ ...output, bytes });
      continue;
    }
    used += bytes;
    kept.push(output);
  }
  return { kept, leftOut };
}

/** What the step says of an output it leaves out. */
export function leftOutMessage(output: { name: string; bytes: number }, limit = OUTPUTS_LIMIT): string {
  return `output ${output.name} is not set: it is ${output.bytes.toLocaleString('en')} bytes, and GitHub keeps at most ${limit.toLocaleString('en')} bytes of a job's outputs (a value cut short would not be the JSON or list it stands for). Check fewer stacks or environments in a step (a matrix over them).`;
}
