// Build: compile the JSON Schemas into standalone validators, then bundle the CLI and the library.
// The CLI is one CommonJS bundle started through v8-compile-cache: compiling a large bundle on every start is
// most of a small render's time, and Node 20 has no compile cache of its own.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

execFileSync(process.execPath, ['scripts/gen-validators.mjs'], { stdio: 'inherit' });

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // import.meta only appears behind a typeof __filename check in the validator loader.
  logOverride: { 'empty-import-meta': 'silent' },
  logLevel: 'warning',
};

await build({ ...common, format: 'cjs', entryPoints: ['src/cli.ts'], outfile: 'dist/main.cjs' });
await build({
  ...common,
  format: 'esm',
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  banner: { js: "import { createRequire as __cvCreateRequire } from 'node:module'; const require = __cvCreateRequire(import.meta.url); const __filename = new URL(import.meta.url).pathname;" },
});
writeFileSync(
  'dist/cli.cjs',
  `#!/usr/bin/env node
'use strict';
// Cache V8's compiled code between runs (in the system's temporary folder); a failure here only costs speed.
try {
  require('v8-compile-cache');
} catch {}
require('./main.cjs');
`,
);
chmodSync('dist/cli.cjs', 0o755);
// The validators and schemas are loaded on demand, from beside the bundle.
for (const file of readdirSync('src/schema/generated')) {
  if (file.endsWith('.cjs') || file.endsWith('.schema.json')) copyFileSync(`src/schema/generated/${file}`, `dist/${file}`);
}
