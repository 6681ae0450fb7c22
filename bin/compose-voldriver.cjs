#!/bin/sh
':' //; exec node -- "$0" "$@"
'use strict';
/*
 * Started as a program, this file is first a shell script: its second line hands it to node after a "--". Node 20
 * and later read a --env-file option anywhere before a "--" on their own command line, even after the script's
 * name, and stop with "node: FILE: not found" (or load the file into the environment) before this code runs;
 * --env-file is this tool's own option. To node, that line is a string and a comment.
 */
/*
 * Starts the bundled CLI (dist/main.cjs) with a V8 code cache kept in ~/.cache/compose-voldriver (or
 * $XDG_CACHE_HOME). Node 20 has no compile cache of its own, and compiling the bundle on every start was most of
 * the time of a small render. The cache is written after a run, so it holds the functions that run used, not only
 * the top level. Any problem with the cache only costs speed: the bundle then compiles as usual.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = path.join(__dirname, '..', 'dist', 'main.cjs');
const source = fs.readFileSync(file, 'utf8');

function cachePath() {
  if (process.env.COMPOSE_VOLDRIVER_NO_CACHE) return undefined;
  // A relative XDG_CACHE_HOME is to be ignored (XDG Base Directory spec): it would make a folder wherever the tool runs.
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(require('node:os').homedir(), '.cache');
  const stat = fs.statSync(file);
  // One cache per command: each holds the functions its command runs.
  const command = /^[a-z]+$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
  const key = `${process.version}-${stat.size}-${Math.floor(stat.mtimeMs)}-${command}`;
  return { dir: path.join(base, 'compose-voldriver'), file: path.join(base, 'compose-voldriver', `main-${key}.v8`) };
}

/**
 * mkdir -p, one folder at a time: Node's recursive mkdir retries forever where a file system answers "no such
 * file" for a folder whose parent is there (XDG_CACHE_HOME under /proc). Throws at the first refusal.
 */
function makeDirectories(dir) {
  const missing = [];
  for (let at = dir; !fs.statSync(at, { throwIfNoEntry: false })?.isDirectory(); at = path.dirname(at)) {
    missing.push(at);
    if (path.dirname(at) === at) break;
  }
  for (const folder of missing.reverse()) {
    try {
      fs.mkdirSync(folder, { mode: 0o700 });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
  }
}

let cache;
let cachedData;
try {
  cache = cachePath();
  if (cache) cachedData = fs.readFileSync(cache.file);
} catch {
  cachedData = undefined;
}

const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
if (cache && (!cachedData || script.cachedDataRejected)) {
  process.once('exit', () => {
    try {
      // V8 stamps a code cache with its flags: one made under the flag below would not match a small run's.
      if (tuned) require('node:v8').setFlagsFromString(`--interrupt-budget=${DEFAULT_BUDGET}`);
      makeDirectories(cache.dir);
      const current = `main-${process.version}-${fs.statSync(file).size}-`;
      for (const old of fs.readdirSync(cache.dir)) if (old.startsWith('main-') && !old.startsWith(current)) fs.rmSync(path.join(cache.dir, old), { force: true });
      const temp = `${cache.file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(temp, cache.file);
    } catch {
      // No cache this time.
    }
  });
}

/*
 * For a large compose file (-f), V8 optimises a function only after four times its default budget: a render of
 * 1,000 services had V8 optimise some 180 functions, about 0.4 s of compiler time on other threads, more than the
 * render itself took, and only the hottest pay that back. Small runs are left alone: loading node:v8 costs a few
 * milliseconds, and a V8 flag on node's command line costs every start more (node's own code cache then no longer
 * matches). Set after the bundle is compiled, so that the code cache is checked against the same flags as always.
 */
function largeInput() {
  const args = process.argv.slice(2);
  let bytes = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') break;
    const name = arg === '-f' || arg === '--file' ? args[++i] : arg.startsWith('--file=') ? arg.slice(7) : /^-f./.test(arg) ? arg.slice(2) : undefined;
    if (name === undefined || name === '-') continue;
    try {
      bytes += fs.statSync(name).size;
    } catch {
      // Not there: the command reports it.
    }
  }
  return bytes > 128 * 1024;
}
// The flag and its default as V8 11 (Node 20 and 21) has them; later V8s dropped the flag and print an error for
// it, so they are left alone.
const DEFAULT_BUDGET = 67584;
const tuned = /^11\./.test(process.versions.v8) && largeInput();
if (tuned) require('node:v8').setFlagsFromString(`--interrupt-budget=${4 * DEFAULT_BUDGET}`);

const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(path.dirname(file));
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
