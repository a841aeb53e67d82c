// Builds dist/ in two parts. main.js is an ES module bundle: the entry holds commander and the
// command table; each command, and the heavy libraries it uses, is a chunk loaded when it runs.
// fast.cjs is a small CommonJS bundle for the command lines people type most (help, version, a
// plain `sign`): CommonJS skips the ES module loader's start-up cost, and help comes pre-rendered
// from the real commander tree, so those runs load neither commander nor the rest of the CLI.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const dist = new URL('dist/', root);
rmSync(dist, { recursive: true, force: true });
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

const common = {
  absWorkingDir: new URL('.', root).pathname,
  bundle: true,
  platform: 'node',
  target: 'node20.18',
  legalComments: 'none',
  logLevel: 'warning',
  define: { CASHIER_CHECK_VERSION: JSON.stringify(version) },
};
// Bundled CommonJS libraries (commander) still call require() for Node's built-ins.
const esmRequire = "import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);";

await build({
  ...common,
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  splitting: true,
  format: 'esm',
  banner: { js: esmRequire },
  chunkNames: '[name]-[hash]',
  plugins: [lazyChildProcess()],
});

// The help table comes from running the real program once per help command line.
const prerender = new URL('.prerender.mjs', dist);
await build({ ...common, entryPoints: ['src/prerender-help.ts'], outfile: prerender.pathname, format: 'esm', banner: { js: esmRequire }, plugins: [lazyChildProcess()] });
const { renderHelpTable } = await import(prerender.href);
const helpTable = await renderHelpTable();
rmSync(prerender);

await build({
  ...common,
  entryPoints: ['src/fast-path.ts'],
  outfile: 'dist/fast.cjs',
  format: 'cjs',
  define: { ...common.define, CASHIER_CHECK_HELP: JSON.stringify(JSON.stringify(helpTable)) },
  // conf (with its schema validator) loads only for a profile write, which a sign never makes.
  external: ['conf'],
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
