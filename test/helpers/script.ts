import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles a TypeScript script (and the project code it imports) into one runnable .mjs file, so
 * tests can run real project modules in child processes they are free to kill.
 */
export async function bundleScript(relativeToTest: string): Promise<string> {
  const entry = fileURLToPath(new URL(relativeToTest, new URL('../', import.meta.url)));
  const outfile = join(mkdtempSync(join(tmpdir(), 'cashier-check-script-')), 'script.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.18',
    logLevel: 'error',
    banner: { js: "import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);" },
  });
  return outfile;
}
