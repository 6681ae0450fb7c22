/** explain's volume x environment table: what each cell says, and a cost in proportion to volumes and findings. */
import { describe, expect, it } from 'vitest';
import type { Finding, VolumePlan } from '../../src/index.js';
import { explainTable } from '../../src/report/explain.js';
import { plain } from '../../src/report/findings.js';

function plans(count: number, driver: string): VolumePlan[] {
  return Array.from({ length: count }, (_, i) => ({ volume: `v${i}`, class: 'fast', driver, driver_opts: { type: 'none' }, secretOptions: [] }) as unknown as VolumePlan);
}

/** A warning on every volume, an error on every third one. */
function findings(count: number): Finding[] {
  return Array.from({ length: count }, (_, i): Finding => ({ code: i % 3 ? 'node-local-storage' : 'unknown-option', severity: i % 3 ? 'warning' : 'error', message: 'x', volume: `v${i}` }));
}

describe('explainTable', () => {
  it("marks each cell with its volume's worst finding in that environment, and a volume an environment lacks with -", () => {
    const text = explainTable(
      [
        { env: 'a', plans: plans(3, 'local'), findings: findings(3) },
        { env: 'b', plans: plans(2, 'pxd'), findings: [{ code: 'c', severity: 'info', message: 'x', volumes: ['v0', 'v1'] }] },
      ],
      { policy: 'p.yml' },
      plain,
    );
    const rows = text.split('\n').slice(2, 6);
    expect(rows[0]).toMatch(/^volume\s+class\s+a\s+b$/);
    expect(rows.slice(1).map((row) => row.split(/\s{2,}/))).toEqual([
      ['v0', 'fast', 'local type=none ✗', 'pxd type=none'],
      ['v1', 'fast', 'local type=none !', 'pxd type=none'],
      ['v2', 'fast', 'local type=none !', '-'],
    ]);
  });

  it('takes time in proportion to the volumes and findings: 50,000 volumes in two environments, a finding each', () => {
    const count = 50_000;
    const runs = ['a', 'b'].map((env) => ({ env, plans: plans(count, 'local'), findings: findings(count) }));
    const started = Date.now();
    const text = explainTable(runs, { policy: 'p.yml' }, plain);
    // Looked up volume by volume in every run's lists, this took minutes (16,000 volumes: 4 minutes).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(text).toContain(`v${count - 1}`);
  }, 60_000);
});
