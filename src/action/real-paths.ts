/**
 * Findings point at files by the path they were reached by. Through a symbolic link (stacks/cache -> ../shared/cache)
 * that path is no file of the repository: pull request annotations and code scanning find nothing there. Inside the
 * workspace, the file's own path is shown instead.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Finding } from '../findings.js';
import { inRepository } from '../report/sarif.js';

/** What of a stack's check names files. */
interface Checked {
  stack: { files: string[]; found?: string };
  inputName?: string;
  findings: Finding[];
}

function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

const within = (root: string, path: string) => {
  const rel = relative(root, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
};

/** Rewrites the files of findings and of each check's input, relative to `cwd`, to the files' own paths. */
export function useRealPaths(checks: Checked[], cwd: string, workspace: string): void {
  const realCwd = real(cwd) ?? cwd;
  const realWorkspace = real(workspace) ?? workspace;
  const known = new Map<string, string>();
  const own = (file: string): string => {
    let shown = known.get(file);
    if (shown === undefined) {
      const target = real(resolve(cwd, file));
      const unchanged = !target || target === resolve(realCwd, file) || !within(realWorkspace, target);
      shown = unchanged ? file : relative(realCwd, target).split(sep).join('/');
      known.set(file, shown);
    }
    return shown;
  };
  for (const check of checks) {
    const input = check.inputName ?? check.stack.files[0] ?? check.stack.found;
    if (input !== undefined) check.inputName = own(input);
    check.findings = check.findings.map((finding) => (inRepository(finding.file) ? { ...finding, file: own(finding.file) } : finding));
  }
}
