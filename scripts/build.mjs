// Builds dist/ as one ES module bundle: the entry holds what --help needs (commander and the
// command table); each command, and the heavy libraries it uses, is a chunk loaded when it runs.
// One file instead of dozens is what keeps start-up close to bare node.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
rmSync(new URL('dist', root), { recursive: true, force: true });

await build({
  absWorkingDir: new URL('.', root).pathname,
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  // Bundled CommonJS libraries (commander) still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);" },
  chunkNames: '[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [lazyChildProcess()],
});

/**
 * commander loads node:child_process for git-style executable subcommands, which this CLI does
 * not use; a lazy stand-in keeps that module (and what it pulls in) off every start-up.
 */
function lazyChildProcess() {
  return {
    name: 'lazy-child-process',
    setup(builder) {
      builder.onResolve({ filter: /^node:child_process$/ }, (args) => (args.importer.includes('node_modules/commander/') ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined));
      builder.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
        contents: "module.exports = new Proxy({}, { get: (_target, name) => require('node:child_process')[name] });",
        loader: 'js',
      }));
    },
  };
}
