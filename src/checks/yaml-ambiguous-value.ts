/** Unquoted driver_opts values whose meaning depends on the YAML reader (010, 0x1F, yes, 1_000, 5.0...). */
import { asObject } from '../compose/mounts.js';
import { rawScalar } from '../compose/raw.js';
import { SECRET_KEY } from '../secrets.js';
import type { Finding } from '../findings.js';
import type { Check } from './types.js';
import { describeReading, readDocker, readPlain, type Reading } from './yaml-readings.js';

const same = (reading: Reading, text: string) => reading.kind === 'string' && reading.text === text;

const agree = (a: Reading, b: Reading) => a.kind === b.kind && (a.kind === 'rejected' || same(b, a.text));

function consequence(source: string, docker: Reading, others: [string, Reading][]): string {
  const cli =
    docker.kind === 'rejected'
      ? 'the docker CLI reads a boolean and rejects the file (driver_opts take strings)'
      : same(docker, source)
        ? `the docker CLI sends "${source}"`
        : `the docker CLI sends the driver "${docker.text}", not "${source}"`;
  const differ = others.filter(([, reading]) => !agree(docker, reading)).map(([who, reading]) => `${who} gets ${describeReading(reading)}`);
  return differ.length ? `${cli}, while ${differ.join(' and ')}` : cli;
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
        const docker = readDocker(raw.source);
        const old = readPlain(raw.source, '1.1');
        const modern = readPlain(raw.source, '1.2');
        if (!docker || !old || !modern) continue;
        if ([docker, old, modern].every((reading) => same(reading, raw.source))) continue;
        // Every reader sees a boolean (true, false): not ambiguous, and the schema check already refuses it.
        if ([docker, old, modern].every((reading) => reading.kind === 'rejected')) continue;
        // A credential's value is never quoted back, in any of its readings.
        const secret = SECRET_KEY.test(key);
        findings.push({
          code: 'yaml-ambiguous-value',
          severity: 'warning',
          message: secret
            ? `volume "${volume}": option ${key} is written unquoted, and YAML readers do not agree on what it holds`
            : `volume "${volume}": option ${key} is written unquoted as ${raw.source}; ${consequence(raw.source, docker, [
                ['a YAML 1.2 reader', modern],
                ['a YAML 1.1 reader (docker-compose v1, PyYAML)', old],
              ])}`,
          hint: secret
            ? `quote the value you mean: ${key}: "..."`
            : `quote the value you mean: ${key}: "${raw.source}"${docker.kind === 'string' && docker.text !== raw.source ? ` (or "${docker.text}")` : ''}`,
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
