/**
 * Runs the committed Action bundle as the GitHub runner does: a Node 24 process started in the workspace, with
 * INPUT_<NAME> for every input (action.yml's defaults for those not given), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
 * GITHUB_WORKSPACE and RUNNER_TEMP pointing at temporary files, and the bundle copied away from node_modules.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { node24 } from './node24.js';

interface ActionYml {
  runs: { using: string; main: string };
  inputs: Record<string, { default?: string }>;
}

export const actionYml = parse(readFileSync('action.yml', 'utf8')) as ActionYml;

/** The runner's name for an input's variable: upper-cased, spaces to underscores, dashes kept. */
export const inputVariable = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
  runnerTemp: string;
  /** Workflow commands printed: ::error file=...::message. */
  annotations: { kind: string; props: Record<string, string>; message: string }[];
}

/** A fresh workspace holding the given files (path -> text). */
export function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cv-action-ws-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** `name<<DELIMITER` ... `DELIMITER` blocks and `name=value` lines, as the runner reads GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = lines[i].match(/^([^=<]+)<<(.+)$/);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      const eq = lines[i].indexOf('=');
      out[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
    }
  }
  return out;
}

const unescapeData = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (text: string) => unescapeData(text).replace(/%3A/g, ':').replace(/%2C/g, ',');

/** Annotations as the runner reads them: a line that starts (after blanks) with a command, none between `::stop-commands::TOKEN` and `::TOKEN::`. */
export function parseAnnotations(stdout: string): ActionRun['annotations'] {
  const found: ActionRun['annotations'] = [];
  let stoppedUntil: string | undefined;
  for (const line of stdout.split('\n').map((l) => l.trimStart())) {
    if (stoppedUntil !== undefined) {
      if (line.trimEnd() === stoppedUntil) stoppedUntil = undefined;
      continue;
    }
    const stop = line.match(/^::stop-commands::(.+)$/);
    if (stop) {
      stoppedUntil = `::${stop[1].trimEnd()}::`;
      continue;
    }
    const match = line.match(/^::(error|warning|notice)(?: ([^:]*))?::(.*)$/);
    if (!match) continue;
    const props: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      props[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    found.push({ kind: match[1], props, message: unescapeData(match[3]) });
  }
  return found;
}

/** Node 24, or why there is none. */
export function runtime(): { node?: string; reason?: string } {
  const node = node24();
  return node ? { node } : { reason: 'no Node 24: scripts/test-deps.sh fetches one (npm run pretest), or set NODE24' };
}

export function runBundle(ws: string, inputs: Record<string, string>, env: Record<string, string> = {}): ActionRun {
  const node = node24();
  if (!node) throw new Error(runtime().reason);
  // The action's folder as a workflow gets it: action.yml and the committed bundle, no node_modules anywhere near.
  const actionDir = mkdtempSync(join(tmpdir(), 'cv-action-'));
  copyFileSync('action.yml', join(actionDir, 'action.yml'));
  mkdirSync(dirname(join(actionDir, actionYml.runs.main)), { recursive: true });
  copyFileSync(actionYml.runs.main, join(actionDir, actionYml.runs.main));
  const runnerTemp = mkdtempSync(join(tmpdir(), 'cv-runner-temp-'));
  const outputFile = join(runnerTemp, 'output.txt');
  const summaryFile = join(runnerTemp, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const inputEnv: Record<string, string> = {};
  for (const [name, spec] of Object.entries(actionYml.inputs)) inputEnv[inputVariable(name)] = inputs[name] ?? spec.default ?? '';
  for (const name of Object.keys(inputs)) if (!(name in actionYml.inputs)) throw new Error(`action.yml has no input ${name}`);
  const result = spawnSync(node, [join(actionDir, actionYml.runs.main)], {
    cwd: ws,
    encoding: 'utf8',
    // The runner reads a log of any length; spawnSync's default would kill a step past 1 MiB of it.
    maxBuffer: 1024 * 1024 * 1024,
    env: {
      PATH: process.env.PATH ?? '',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: ws,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: runnerTemp,
      ...inputEnv,
      ...env,
    },
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : '',
    workspace: ws,
    runnerTemp,
    annotations: parseAnnotations(result.stdout),
  };
}
