import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';

const dist = new URL('../../dist/', import.meta.url);

/** The packages a bundled file holds, from esbuild's `// node_modules/<name>/…` markers. */
function bundledPackages(file: string): Set<string> {
  const text = readFileSync(new URL(file, dist), 'utf8');
  return new Set([...text.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((match) => match[1]!));
}

describe('the bundled build', () => {
  it('keeps the --help path to commander: heavy libraries live in chunks loaded by commands', () => {
    const entry = bundledPackages('main.js');
    expect(entry.has('commander')).toBe(true);
    for (const heavy of ['chalk', 'conf', 'ajv', 'undici', 'lossless-json', '@inquirer/core']) expect(entry.has(heavy)).toBe(false);
    const statics = [...readFileSync(new URL('main.js', dist), 'utf8').matchAll(/^import\s[^;]*?from\s+"\.\/([^"]+)"/gm)].map((m) => m[1]!);
    // The fast path holds no commander and none of the heavy libraries (chalk loads only for colours).
    const fast = bundledPackages('fast.cjs');
    for (const heavy of ['commander', 'conf', 'ajv', 'undici', '@inquirer/core']) expect(fast.has(heavy)).toBe(false);
    for (const chunk of statics) {
      for (const heavy of ['chalk', 'conf', 'undici', 'lossless-json']) expect(bundledPackages(chunk).has(heavy)).toBe(false);
    }
  });

  it('is one folder of ES modules, plus the CommonJS fast path, that bin/ runs', async () => {
    expect(readdirSync(dist).filter((name) => !name.endsWith('.js'))).toEqual(['fast.cjs']);
    const { dir, cleanup } = tempConfigDir();
    try {
      const help = await runCli(['--help'], { env: cleanEnv(dir) });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: cashier-check');
      const version = await runCli(['--version'], { env: cleanEnv(dir) });
      expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(new URL('../package.json', dist), 'utf8')) as { version: string }).version);
    } finally {
      cleanup();
    }
  });
});
