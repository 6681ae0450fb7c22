// esbuild plugins shared by the CLI and library build (build.mjs) and the Action's (build-action.mjs).

/** The bundle uses generated/bundled.js (static requires) where the sources import generated/index.js. */
export const bundledValidators = {
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
export const lazyChildProcess = {
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
export const yamlModule = {
  name: 'yaml-module',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: new URL('../node_modules/yaml/browser/index.js', import.meta.url).pathname }));
  },
};
