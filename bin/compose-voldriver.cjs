#!/bin/sh
':' //; exec node --interrupt-budget=270336 -- "$0" "$@"
'use strict';
/*
 * Started as a program, this file is first a shell script: its second line hands it to node after a "--". Node 20
 * and later read a --env-file option anywhere before a "--" on their own command line, even after the script's
 * name, and stop with "node: FILE: not found" (or load the file into the environment) before this code runs;
 * --env-file is this tool's own option. To node, that line is a string and a comment.
 * --interrupt-budget (four times V8's default) lets a function run longer before V8 optimises it: a render of
 * 1,000 services had V8 optimise some 180 functions, at about 0.4 s of compiler time on other threads, more than
 * the render itself took; only the hottest functions are optimised now, about 40 ms faster from 1,000 to 5,000
 * services. Given on this line, it costs nothing at start (setting it from JavaScript would load node:v8).
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
  const base = process.env.XDG_CACHE_HOME || path.join(require('node:os').homedir(), '.cache');
  const stat = fs.statSync(file);
  // One cache per command: each holds the functions its command runs.
  const command = /^[a-z]+$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
  const key = `${process.version}-${stat.size}-${Math.floor(stat.mtimeMs)}-${command}`;
  return { dir: path.join(base, 'compose-voldriver'), file: path.join(base, 'compose-voldriver', `main-${key}.v8`) };
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
      fs.mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
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

const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(path.dirname(file));
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
