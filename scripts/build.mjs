// Build: compile the JSON Schemas into standalone validators, then bundle the CLI and the library.
// The CLI is one CommonJS bundle (dist/main.cjs) started by bin/compose-voldriver.cjs, which keeps a V8 code cache
// for it. The validators are bundled in, each evaluated only when first used.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

execFileSync(process.execPath, ['scripts/gen-validators.mjs'], { stdio: 'inherit' });

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** The bundle uses generated/bundled.js (static requires) where the sources import generated/index.js. */
const bundledValidators = {
  name: 'bundled-validators',
  setup(build) {
    build.onResolve({ filter: /\/generated\/index\.js$/ }, (args) => ({
      path: new URL(args.path.replace(/index\.js$/, 'bundled.js'), `file://${args.resolveDir}/`).pathname,
    }));
  },
};

/**
 * commander loads child_process at start-up for executable subcommands, which this CLI does not use; loading that
 * built-in was a tenth of a small render. It gets a stand-in that loads the real module on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('node_modules/commander/') ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

/**
 * yaml's CommonJS build reaches every export through a getter once bundled, on each of the many isMap()/isScalar()
 * calls of a large file; its ES module build (the same code, published for browsers) is bundled as plain functions.
 * It logs its rare warnings with console.warn instead of process.emitWarning.
 */
const yamlModule = {
  name: 'yaml-module',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: new URL('../node_modules/yaml/browser/index.js', import.meta.url).pathname }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Smaller source is less to read and hash at every start.
  minify: true,
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  plugins: [bundledValidators, lazyChildProcess, yamlModule],
  logLevel: 'warning',
};

rmSync('dist', { recursive: true, force: true });
await build({ ...common, format: 'cjs', entryPoints: ['src/cli.ts'], outfile: 'dist/main.cjs' });
// Type declarations for the library (dist/index.js).
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
mkdirSync('dist/types/schema/generated', { recursive: true });
copyFileSync('src/schema/generated/index.d.ts', 'dist/types/schema/generated/index.d.ts');
await build({
  ...common,
  format: 'esm',
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  // Bundled CommonJS code (the validators) calls require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __cvCreateRequire } from 'node:module'; const require = __cvCreateRequire(import.meta.url);" },
});
