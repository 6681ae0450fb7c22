// Build: compile the JSON Schemas into standalone validators, then bundle the CLI and the library.
// The CLI is one CommonJS bundle (dist/main.cjs) started by bin/compose-voldriver.cjs, which keeps a V8 code cache
// for it. The validators are bundled in, each evaluated only when first used.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { bundledValidators, lazyChildProcess, yamlModule } from './esbuild-plugins.mjs';

execFileSync(process.execPath, ['scripts/gen-validators.mjs'], { stdio: 'inherit' });

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * The deploy command loads the engine side (src/deploy, and dockerode with it) from a bundle of its own,
 * dist/deploy.cjs, so no other command pays for reading or compiling it.
 */
const deployApart = {
  name: 'deploy-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/deploy\/index\.js$/ }, (args) =>
      args.importer.endsWith('/src/cli/deploy.ts') ? { path: './deploy.cjs', external: true } : undefined,
    );
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
  plugins: [bundledValidators, lazyChildProcess, yamlModule, deployApart],
  logLevel: 'warning',
};

rmSync('dist', { recursive: true, force: true });
// import() becomes require(): the launcher runs the bundle as a vm.Script, which has no dynamic import.
const cjs = { ...common, format: 'cjs', supported: { 'dynamic-import': false } };
await build({ ...cjs, entryPoints: ['src/cli/main.ts'], outfile: 'dist/main.cjs' });
// dockerode stays a package of its own (ssh2 has optional native parts); it is a dependency, found in node_modules.
await build({ ...cjs, entryPoints: ['src/deploy/index.ts'], outfile: 'dist/deploy.cjs', external: ['dockerode'] });
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
