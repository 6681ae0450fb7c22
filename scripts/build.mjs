// Build: compile the JSON Schemas into standalone validators, then bundle the CLI, the library and the Action.
import { execFileSync } from 'node:child_process';
import { readFileSync, chmodSync } from 'node:fs';
import { build } from 'esbuild';

execFileSync(process.execPath, ['scripts/gen-validators.mjs'], { stdio: 'inherit' });

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
// Bundled CommonJS dependencies call require(); give the ESM bundle one.
const requireShim = "import { createRequire as __cvCreateRequire } from 'node:module'; const require = __cvCreateRequire(import.meta.url);";
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: requireShim } });
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', banner: { js: requireShim } });
chmodSync('dist/cli.js', 0o755);
