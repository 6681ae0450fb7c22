// The import rules of src/ (see src/README.md): no cycle between files or between folders, nothing outside cli/
// imports cli/, and the pure core reads no files and no process state. Type-only imports count: they tie the
// modules together all the same. Prints the problems and exits 1, or prints a one-line summary.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

const root = process.argv[2] ?? 'src';
/** Folders whose code must stay pure: no fs, no child processes, no process state. */
const PURE = ['transform', 'checks', 'plan', 'policies', 'report', 'schema', 'compose'];
const IMPURE_MODULES = /^(node:)?(fs|fs\/promises|child_process|os|net|http|https)$/;
/** The reader seam reads its one switch, COMPOSE_VOLDRIVER_FAST_YAML, from the environment. */
const READS_PROCESS = new Set(['compose/load.ts']);

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;

const files = sourceFiles(root).map((file) => relative(root, file).split('\\').join('/'));
const known = new Set(files);
const edges = new Map();
const problems = [];

for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8');
  const targets = new Set();
  for (const [, spec] of text.matchAll(IMPORT)) {
    const unit = unitOf(file);
    if (spec.startsWith('.')) {
      const target = posix.normalize(posix.join(posix.dirname(file), spec.replace(/\.js$/, '.ts')));
      if (!known.has(target)) continue; // generated files and JSON
      targets.add(target);
      if (unitOf(target) === 'cli' && unit !== 'cli') problems.push(`${file} imports ${target}: nothing outside cli/ imports cli/`);
    } else if (PURE.includes(unit) && IMPURE_MODULES.test(spec)) {
      problems.push(`${file} imports ${spec}: ${unit}/ is pure (no files, no processes)`);
    }
  }
  if (PURE.includes(unitOf(file)) && !READS_PROCESS.has(file) && /\bprocess\??\.(env|cwd|argv|exit|exitCode|stdout|stderr|stdin)\b/.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) {
    problems.push(`${file} reads process state: ${unitOf(file)}/ is pure`);
  }
  edges.set(file, [...targets]);
}

/** A file's folder directly under src/; a file at the top level is its own unit. */
function unitOf(file) {
  const slash = file.indexOf('/');
  return slash === -1 ? file : file.slice(0, slash);
}

/** Strongly connected components with more than one member, or a member that imports itself (Tarjan). */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const info = new Map();
  const found = [];
  const visit = (node) => {
    info.set(node, { index, low: index, onStack: true });
    index++;
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!info.has(next)) {
        visit(next);
        info.get(node).low = Math.min(info.get(node).low, info.get(next).low);
      } else if (info.get(next).onStack) {
        info.get(node).low = Math.min(info.get(node).low, info.get(next).index);
      }
    }
    if (info.get(node).low === info.get(node).index) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        info.get(member).onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!info.has(node)) visit(node);
  return found;
}

for (const component of cycles(edges)) problems.push(`import cycle between files: ${component.join(', ')}`);

const folders = new Map();
for (const [file, targets] of edges) {
  const from = unitOf(file);
  if (!folders.has(from)) folders.set(from, new Set());
  for (const target of targets) if (unitOf(target) !== from) folders.get(from).add(unitOf(target));
}
const folderGraph = new Map([...folders].map(([from, to]) => [from, [...to]]));
for (const component of cycles(folderGraph)) {
  const links = [];
  for (const [file, targets] of edges) {
    for (const target of targets) {
      if (unitOf(file) !== unitOf(target) && component.includes(unitOf(file)) && component.includes(unitOf(target))) links.push(`${file} -> ${target}`);
    }
  }
  problems.push(`import cycle between folders: ${component.join(', ')}\n    ${links.join('\n    ')}`);
}

if (problems.length > 0) {
  console.error(problems.map((problem) => `check-imports: ${problem}`).join('\n'));
  process.exit(1);
}
console.log(`check-imports: ${files.length} files in ${folders.size} folders and top-level modules: no cycle, no import of cli/ from outside it, a pure core`);
