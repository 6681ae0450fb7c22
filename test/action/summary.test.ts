/** The job summary's size: GitHub drops a step summary over 1 MiB, so it is cut to fit, saying what was left out. */
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../src/index.js';
import { buildSummary, cell, SUMMARY_LIMIT, summaryOf } from '../../src/action/summary.js';
import type { Finding } from '../../src/index.js';
import type { RunReport, StackCheck } from '../../src/action/run.js';

const rendered = renderStack({ files: ['examples/stack.yml'], policy: 'examples/voldriver.example.yml', environment: 'onprem', parameters: { nfs_server: 'n' } });

function check(name: string, env: string, diffLines: number): StackCheck {
  const result = rendered;
  const diff = Array.from({ length: diffLines }, (_, i) => `+line ${i} of a long rendered file`).join('\n');
  return { stack: { name, files: ['examples/stack.yml'], dir: name }, environment: env, result, findings: result.findings, diff, inputName: 'examples/stack.yml' };
}

const options = { failOn: 'error' as const, failed: false, unannotated: 0 };
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('buildSummary', () => {
  it('keeps everything when it fits', () => {
    const text = buildSummary({ mode: 'check', checks: [check('a', 'onprem', 20)] }, options);
    expect(text).toContain('```diff');
    expect(text).toContain('```mermaid');
    expect(text).not.toContain('left out');
  });

  it('leaves diffs out first, from the end, to stay under 1 MiB, and says so where each was', () => {
    // 40 stacks with a 40 KB diff each: 1.6 MB of diffs.
    const report: RunReport = { mode: 'check', checks: Array.from({ length: 40 }, (_, i) => check(`s${i}`, 'onprem', 1000)) };
    const text = buildSummary(report, options);
    expect(bytes(text)).toBeLessThanOrEqual(SUMMARY_LIMIT);
    const kept = text.match(/```diff/g)?.length ?? 0;
    const dropped = text.match(/_Diff left out to keep the summary under 1 MiB\._/g)?.length ?? 0;
    expect(kept).toBeGreaterThan(0);
    expect(kept + dropped).toBe(40);
    // Diagrams and every stack's table are all still there.
    expect(text.match(/```mermaid/g)).toHaveLength(40);
    expect(text.match(/^### s\d+$/gm)).toHaveLength(40);
    expect(text.match(/^#### environment onprem$/gm)).toHaveLength(40);
    expect(text.lastIndexOf('```diff')).toBeLessThan(text.indexOf('_Diff left out'));
  });

  it('cuts what still does not fit at a line, with a note', () => {
    const report: RunReport = { mode: 'check', checks: Array.from({ length: 1500 }, (_, i) => check(`stack-${i}`, 'onprem', 0)) };
    const text = buildSummary(report, options);
    expect(bytes(text)).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(text).toMatch(/> \*\*The summary is cut here\*\*: GitHub drops a step summary over 1 MiB \(0 diff\(s\), \d+ diagram\(s\) and \d+ list\(s\) of info findings were left out first\)\. Every finding is in the log\.\n$/);
    expect(text).toContain('_Diagram left out to keep the summary under 1 MiB._');
  });

  it('escapes table cells', () => {
    expect(cell('a|b\nc<d>')).toBe('a\\|b<br>c&lt;d>');
    expect(cell('**a** __b__ [c](d) `e` ~f~ $g$ &lt; #')).toBe('\\*\\*a\\*\\* \\_\\_b\\_\\_ \\[c\\](d) \\`e\\` \\~f\\~ \\$g\\$ &amp;lt; \\#');
  });

  it('names the diffed file in its <summary> with entities, where Markdown escapes would show', () => {
    const named = { ...check('a', 'onprem', 3), inputName: 'st_acks/a&b<c>|d.yml' };
    expect(buildSummary({ mode: 'check', checks: [named] }, options)).toContain('<summary>Diff of st_acks/a&amp;b&lt;c&gt;|d.yml</summary>');
  });

  it('leaves info findings out before any error or warning is cut, and says where the findings past the annotations are', () => {
    const error = rendered.findings[0];
    const info = (i: number): Finding => ({ severity: 'info', code: 'driver-changed', message: `info number ${i} ${'x'.repeat(200)}` });
    const report: RunReport = {
      mode: 'check',
      checks: Array.from({ length: 10 }, (_, i) => ({ ...check(`s${i}`, 'onprem', 0), findings: [...Array.from({ length: 600 }, (_, k) => info(k)), { ...error, severity: 'error' as const, message: `error of s${i}` }] })),
    };
    const { text, everyFinding } = summaryOf(report, { ...options, unannotated: 6000, sarif: true });
    expect(bytes(text)).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(text).not.toContain('The summary is cut here');
    for (let i = 0; i < 10; i++) expect(text).toContain(`error of s${i}`);
    expect(text).toContain('- ℹ️ _600 info findings left out to keep the summary under 1 MiB._');
    expect(everyFinding).toBe(false);
    expect(text).toContain("6000 finding(s) past the runner's 10 annotations per severity are in the log and in the SARIF file.");
    const small = summaryOf({ mode: 'check', checks: [check('a', 'onprem', 0)] }, { ...options, unannotated: 3 });
    expect(small.everyFinding).toBe(true);
    expect(small.text).toContain("3 finding(s) past the runner's 10 annotations per severity are listed here and in the log.");
  });
});
