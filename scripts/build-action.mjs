// Build the GitHub Action: one CommonJS bundle, dist-action/index.cjs, committed so that workflows run it without
// installing anything (action.yml points at it). The output depends only on the sources, the lock file's packages
// and this script, so a fresh build of an unchanged tree is byte-identical.
//   node scripts/build-action.mjs           write dist-action/index.cjs
//   node scripts/build-action.mjs --check   write nothing; exit 1 if the committed bundle differs from a fresh build
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundledValidators, yamlModule } from './esbuild-plugins.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ACTION_BUNDLE = 'dist-action/index.cjs';
const REGENERATE = 'npm run build:action';

execFileSync(process.execPath, [join(root, 'scripts/gen-validators.mjs')], { stdio: 'inherit', cwd: root });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * @actions/core reaches @actions/http-client (and through it undici, half of the bundle) only for getIDToken, the
 * OIDC token request, which this Action never makes. A stand-in that says so takes its place.
 */
const withoutHttpClient = {
  name: 'without-http-client',
  setup(build) {
    build.onResolve({ filter: /^@actions\/http-client(\/.*)?$/ }, (args) => ({ path: args.path, namespace: 'not-bundled' }));
    build.onLoad({ filter: /.*/, namespace: 'not-bundled' }, () => ({
      contents:
        "const refuse = () => { throw new Error('@actions/http-client is not bundled: compose-voldriver requests no OIDC token'); };\n" +
        'export class HttpClient { constructor() { refuse(); } }\nexport class BearerCredentialHandler { constructor() { refuse(); } }\n',
      loader: 'js',
    }));
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/action/main.ts'],
  outfile: ACTION_BUNDLE,
  bundle: true,
  // Module paths in the bundle's comments as they are under this checkout, also when node_modules is a symbolic link.
  preserveSymlinks: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  // Readable, so that a change to the bundle can be reviewed; licences of bundled packages kept at the end.
  minify: false,
  legalComments: 'eof',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  plugins: [bundledValidators, yamlModule, withoutHttpClient],
  banner: { js: `// Generated from src/ by \`${REGENERATE}\`: do not edit. compose-voldriver ${pkg.version}, the GitHub Action.` },
  write: false,
  logLevel: 'warning',
});
const text = result.outputFiles[0].text;
const target = join(root, ACTION_BUNDLE);

if (process.argv.includes('--check')) {
  const committed = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (committed !== text) {
    console.error(
      `${ACTION_BUNDLE} is ${committed === undefined ? 'missing' : 'out of date with src/'}.\n` +
        `The Action runs this committed bundle, so every change to src/ (or to the bundled packages) must regenerate it:\n` +
        `    ${REGENERATE}\n` +
        `and commit ${ACTION_BUNDLE} with the change. On a rebase conflict in it, never merge it by hand: run ${REGENERATE} and git add it.`,
    );
    process.exit(1);
  }
  console.log(`${ACTION_BUNDLE} is up to date with src/`);
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(`${target}.tmp`, text);
  renameSync(`${target}.tmp`, target);
  console.log(`wrote ${ACTION_BUNDLE} (${(text.length / 1024).toFixed(0)} KiB)`);
}
