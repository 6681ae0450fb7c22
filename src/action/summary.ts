/**
 * The job summary a reviewer reads: a line of totals, then per stack and environment a table of what each volume
 * becomes, a Mermaid diagram, every finding, and the diff of the rendered file, folded. GitHub drops a summary
 * over 1 MiB: past the budget, diffs go first, then diagrams, and what is cut is said.
 */
import { formatLocation, type Finding } from '../findings.js';
import { mermaidDiagram } from '../report/mermaid.js';
import { printable, printableLine } from '../report/printable.js';
import type { FailOn } from './inputs.js';
import { DIFF_MAX_EDITS, type RunReport, type StackCheck } from './run.js';
import { redactor, shownOptions } from '../report/redact.js';

export const SUMMARY_LIMIT = 1024 * 1024;
/** Room kept for the note that says what was cut. */
const RESERVE = 4 * 1024;
/** GitHub's Mermaid refuses larger diagrams (maxTextSize 50,000 characters, 500 edges). */
const MERMAID_MAX_TEXT = 50_000;
const MERMAID_MAX_EDGES = 500;

const ICON: Record<Finding['severity'], string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };

/**
 * Text that Markdown shows as it is written, in a table cell, a heading or a list item: names of folders, files
 * and volumes and the messages about them come from the repository, where `**x**`, `__init__`, `[x](url)`,
 * `![x](url)`, `~x~`, `$x$`, `&lt;` or `<b>` would otherwise be read as markup. Punctuation Markdown reads is
 * escaped with a backslash, `&` and `<` as entities, line breaks as <br>; control characters and bidirectional
 * overrides, which would hide or reorder what a reviewer reads, as escapes (`\x1b`, `\u202e`).
 */
export function cell(text: string): string {
  return printable(text)
    .replace(/[\\`*_[\]~|$#]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** Text inside HTML (a <summary>), where Markdown is not read: entities only. */
function html(text: string): string {
  return printableLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code that survives backticks inside it; a line break, which would end the line it stands on, is escaped. */
function code(text: string): string {
  const line = printableLine(text);
  const longest = Math.max(0, ...[...line.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${longest ? ' ' : ''}${line}${longest ? ' ' : ''}${ticks}`;
}

/**
 * Inline code in a table cell: inside code, Markdown reads no backslash or entity (cell's `\\` and `&lt;` would
 * show as written), but the table still ends a cell at `|` unless it is written `\|`.
 */
function cellCode(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

/** A fenced block whose fence is longer than any run of backticks inside. */
function fenced(language: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text.endsWith('\n') ? text : text + '\n'}${fence}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function countsText(findings: readonly Finding[]): string {
  const n = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  return `${plural(n('error'), 'error')}, ${plural(n('warning'), 'warning')}, ${n('info')} info`;
}

const environmentTitle = (check: StackCheck) => (check.environment === undefined ? 'no environment' : `environment ${check.environment}`);

/** One part of the summary; parts of a lower priority are dropped first when it is too large. */
interface Part {
  text: string;
  /** 0 always kept; 1 diagram; 2 diff; 3 info findings. Diffs go first, then diagrams, then info findings. */
  priority: 0 | 1 | 2 | 3;
  /** Said in place of a dropped part. */
  instead?: string;
}

function volumeTable(check: StackCheck): string {
  const plans = check.result?.plans ?? [];
  if (plans.length === 0) return '_No named volumes._\n';
  const rows = ['| volume | class | driver | options | services | findings |', '| --- | --- | --- | --- | --- | --- |'];
  const byVolume = new Map<string, string[]>();
  for (const f of check.findings) {
    if (f.volume === undefined) continue;
    const list = byVolume.get(f.volume) ?? [];
    list.push(`${ICON[f.severity]} ${f.code}`);
    byVolume.set(f.volume, list);
  }
  const hide = redactor(check.result?.secrets ?? []);
  for (const plan of plans) {
    const options = Object.entries(shownOptions(plan, hide)).map(([k, v]) => cellCode(`${k}=${v}`));
    const findings = byVolume.get(plan.volume) ?? [];
    rows.push(
      `| ${[
        cell(plan.volume) + (plan.external ? ' (external)' : ''),
        plan.class ? cell(plan.class) : '—',
        cell(plan.driver ?? 'local'),
        options.length ? options.join(' ') : '—',
        plan.services.length ? cell(plan.services.join(', ')) : '—',
        findings.length ? cell(findings.join(', ')) : '✅',
      ].join(' | ')} |`,
    );
  }
  return rows.join('\n') + '\n';
}

/**
 * A check's findings, errors and warnings first: the info items are a part of their own, the first thing left out
 * when the summary is too large, so that no error or warning is cut for them.
 */
function findingsList(check: StackCheck, shownPath: (file: string) => string): Part[] {
  if (check.findings.length === 0) return [];
  const item = (f: Finding) => {
    const where = formatLocation(f.file === undefined ? f : { ...f, file: shownPath(f.file) });
    const hint = f.hint ? `<br>_hint:_ ${cell(f.hint)}` : '';
    return `- ${ICON[f.severity]} **${f.code}**${where ? ` ${code(where)}` : ''}: ${cell(f.message)}${hint}\n`;
  };
  const severe = check.findings.filter((f) => f.severity !== 'info');
  const info = check.findings.filter((f) => f.severity === 'info');
  const parts: Part[] = [{ text: `<details${severe.length ? ' open' : ''}><summary>Findings: ${countsText(check.findings)}</summary>\n\n${severe.map(item).join('')}`, priority: 0 }];
  if (info.length) {
    parts.push({ text: info.map(item).join(''), priority: 3, instead: `- ${ICON.info} _${plural(info.length, 'info finding')} left out to keep the summary under 1 MiB._\n` });
  }
  parts.push({ text: '\n</details>\n\n', priority: 0 });
  return parts;
}

/** One diagram per stack, its environments side by side. */
function diagram(checks: readonly StackCheck[]): Part | undefined {
  const sections = checks.flatMap((check) => (check.result && check.result.plans.length ? [{ title: environmentTitle(check), plans: check.result.plans, findings: check.findings }] : []));
  if (sections.length === 0) return undefined;
  const text = mermaidDiagram(sections);
  const edges = text.split('\n').filter((line) => line.includes(' --> ')).length;
  if (text.length > MERMAID_MAX_TEXT || edges > MERMAID_MAX_EDGES) {
    return { text: `_Diagram left out: ${edges} links, more than GitHub draws (500 links, 50,000 characters); \`compose-voldriver explain --format mermaid\` prints it._\n\n`, priority: 0 };
  }
  return { text: fenced('mermaid', text) + '\n', priority: 1, instead: '_Diagram left out to keep the summary under 1 MiB._\n\n' };
}

export interface SummaryOptions {
  failOn: FailOn;
  failed: boolean;
  /** Findings the runner shows no annotation for, past its limit. */
  unannotated: number;
  /** How a finding's file is shown: relative to the workspace, as annotations and SARIF name it. */
  shownPath?: (file: string) => string;
  /** A SARIF file is written. */
  sarif?: boolean;
}

/** Said where the findings past the annotations are, once it is known whether the summary holds them all. */
const ELSEWHERE = '\u0000elsewhere\u0000';

export function buildSummary(report: RunReport, options: SummaryOptions): string {
  return summaryOf(report, options).text;
}

/** The summary, and whether it lists every finding (nothing was cut or left out for its size). */
export function summaryOf(report: RunReport, options: SummaryOptions): { text: string; everyFinding: boolean } {
  const all = report.checks.flatMap((c) => c.findings);
  const stacks = new Set(report.checks.map((c) => c.stack.name));
  const environments = [...new Set(report.checks.flatMap((c) => (c.environment === undefined ? [] : [c.environment])))];
  const several = { stacks: stacks.size > 1 };
  const parts: Part[] = [];
  const verdict = options.failed ? `The step fails (fail-on: ${options.failOn}).` : `The step passes (fail-on: ${options.failOn}).`;
  parts.push({
    text:
      `## compose-voldriver: ${report.mode}\n\n` +
      `**${countsText(all)}** in ${plural(stacks.size, 'stack')}${environments.length ? ` (${environments.length === 1 ? 'environment' : 'environments'} ${environments.map(cell).join(', ')})` : ''}. ${verdict}` +
      (options.unannotated ? ` ${options.unannotated} finding(s) past the runner's 10 annotations per severity are ${ELSEWHERE}.` : '') +
      '\n\n',
    priority: 0,
  });
  const overview = ['| stack | environment | volumes | errors | warnings | info | rendered file |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const check of report.checks) {
    const n = (s: Finding['severity']) => check.findings.filter((f) => f.severity === s).length;
    const file = check.written ? cellCode(check.written) : check.result?.changed ? 'changes (not written)' : check.result ? 'no change' : 'not rendered';
    overview.push(`| ${cell(check.stack.name)} | ${cell(check.environment ?? '—')} | ${check.result?.plans.length ?? '—'} | ${n('error')} | ${n('warning')} | ${n('info')} | ${file} |`);
  }
  parts.push({ text: overview.join('\n') + '\n\n', priority: 0 });
  const byStack = new Map<string, StackCheck[]>();
  for (const check of report.checks) byStack.set(check.stack.name, [...(byStack.get(check.stack.name) ?? []), check]);
  for (const [name, checks] of byStack) {
    if (several.stacks) parts.push({ text: `### ${cell(name)}\n\n`, priority: 0 });
    const picture = diagram(checks);
    if (picture) parts.push(picture);
    for (const check of checks) {
      parts.push({ text: `${several.stacks ? '####' : '###'} ${cell(environmentTitle(check))}\n\n${volumeTable(check)}\n`, priority: 0 });
      parts.push(...findingsList(check, options.shownPath ?? ((file) => file)));
      if (check.diffLeftOut) parts.push({ text: `_Diff of ${cell(check.inputName ?? 'the stack')} left out: more than ${DIFF_MAX_EDITS.toLocaleString('en')} lines change._\n\n`, priority: 0 });
      if (check.diff) {
        parts.push({
          text: `<details><summary>Diff of ${html(check.inputName ?? 'the stack')}</summary>\n\n${fenced('diff', check.diff)}\n</details>\n\n`,
          priority: 2,
          instead: '_Diff left out to keep the summary under 1 MiB._\n\n',
        });
      }
    }
  }
  const { text, everyFinding } = fit(parts, options.sarif ?? false);
  const places = [...(everyFinding ? ['listed here'] : []), 'in the log', ...(options.sarif ? ['in the SARIF file'] : [])];
  return { text: text.replace(ELSEWHERE, places.length > 2 ? `${places.slice(0, -1).join(', ')} and ${places[places.length - 1]}` : places.join(' and ')), everyFinding };
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Drop diffs, then diagrams, then info findings, from the end, until the summary fits; then cut what remains,
 * saying so. `everyFinding` is false once a finding is no longer in it.
 */
function fit(parts: Part[], sarif: boolean): { text: string; everyFinding: boolean } {
  const budget = SUMMARY_LIMIT - RESERVE;
  let size = parts.reduce((sum, part) => sum + bytes(part.text), 0);
  const dropped = { 1: 0, 2: 0, 3: 0 };
  for (const priority of [2, 1, 3] as const) {
    for (let i = parts.length - 1; i >= 0 && size > budget; i--) {
      const part = parts[i];
      if (part.priority !== priority) continue;
      const instead = part.instead ?? '';
      size += bytes(instead) - bytes(part.text);
      parts[i] = { text: instead, priority: 0 };
      dropped[priority]++;
    }
  }
  const text = parts.map((part) => part.text).join('');
  if (bytes(text) <= budget) return { text, everyFinding: dropped[3] === 0 };
  // Still too large: cut at a line break within the budget.
  const buffer = Buffer.from(text, 'utf8').subarray(0, budget);
  const kept = buffer.toString('utf8');
  const cut = kept.slice(0, kept.lastIndexOf('\n') + 1);
  const first = `${dropped[2]} diff(s), ${dropped[1]} diagram(s) and ${dropped[3]} list(s) of info findings were left out first`;
  return {
    text: `${cut}\n\n> **The summary is cut here**: GitHub drops a step summary over 1 MiB (${first}). Every finding is in the log${sarif ? ' and the SARIF file' : ''}.\n`,
    everyFinding: false,
  };
}
