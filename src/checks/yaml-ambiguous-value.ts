/** Unquoted driver_opts values whose meaning depends on the YAML reader (010, 0x1F, yes, 1_000, 5.0...). */
import { asObject } from '../compose/mounts.js';
import { rawScalar } from '../compose/raw.js';
import type { Finding } from '../findings.js';
import type { Check } from './types.js';
import { describeReading, readPlain, type Reading } from './yaml-readings.js';

const same = (reading: Reading, text: string) => reading.kind === 'string' && reading.text === text;

function consequence(source: string, docker: Reading, modern: Reading): string {
  const cli =
    docker.kind === 'rejected'
      ? 'the docker CLI (YAML 1.1 rules) reads a boolean and rejects the file (driver_opts take strings)'
      : same(docker, source)
        ? `the docker CLI (YAML 1.1 rules) sends "${source}"`
        : `the docker CLI (YAML 1.1 rules) sends the driver "${docker.text}", not "${source}"`;
  const agree = docker.kind === modern.kind && (docker.kind === 'rejected' || same(modern, docker.text));
  return agree ? cli : `${cli}, while a YAML 1.2 reader gets ${describeReading(modern)}`;
}

export const yamlAmbiguousValue: Check = {
  code: 'yaml-ambiguous-value',
  severity: 'warning',
  summary: 'an unquoted driver_opts value that YAML readers turn into another string (010 -> "8", yes -> boolean)',
  docs: 'docs/checks.md#yaml-ambiguous-value',
  run(ctx) {
    const findings: Finding[] = [];
    const byVolume = new Map(ctx.plans.map((plan) => [plan.volume, plan]));
    for (const [volume, definition] of Object.entries(asObject(ctx.model.volumes))) {
      // A class rewrite writes every option of a managed volume as a quoted string: nothing of the input survives.
      if (byVolume.get(volume)?.managed) continue;
      for (const key of Object.keys(asObject(asObject(definition).driver_opts))) {
        const path = ['volumes', volume, 'driver_opts', key];
        const raw = rawScalar(ctx.project, path);
        if (!raw?.plain || raw.source.includes('$')) continue;
        const docker = readPlain(raw.source, '1.1');
        const modern = readPlain(raw.source, '1.2');
        if (!docker || !modern) continue;
        if (same(docker, raw.source) && same(modern, raw.source)) continue;
        // Both readers see a boolean (true, false): not ambiguous, and the schema check already refuses it.
        if (docker.kind === 'rejected' && modern.kind === 'rejected') continue;
        findings.push({
          code: 'yaml-ambiguous-value',
          severity: 'warning',
          message: `volume "${volume}": option ${key} is written unquoted as ${raw.source}; ${consequence(raw.source, docker, modern)}`,
          hint: `quote the value you mean: ${key}: "${raw.source}"${docker.kind === 'string' && docker.text !== raw.source ? ` (or "${docker.text}")` : ''}`,
          volume,
          path,
          file: raw.file,
          line: raw.line,
          col: raw.col,
        });
      }
    }
    return findings;
  },
};
