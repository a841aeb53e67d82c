import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { afterEach, describe, expect, it } from 'vitest';
import { configDir, profileFilePath, profileIn, readProfileFile } from './profile-file.js';
import { openProfileStore } from './profile-store.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cashier-check-unit-'));
  made.push(dir);
  return dir;
}

describe('configDir', () => {
  it('is CASHIER_CHECK_CONFIG_DIR when set', () => {
    expect(configDir({ CASHIER_CHECK_CONFIG_DIR: '/x/y' })).toBe('/x/y');
  });

  it('is the folder conf would pick on each OS, so reading without conf finds the same file', () => {
    expect(configDir({}, 'linux', '/home/a')).toBe('/home/a/.config/cashier-check');
    expect(configDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/a')).toBe('/xdg/cashier-check');
    expect(configDir({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Preferences/cashier-check');
    expect(configDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a')).toBe(join('C:\\Users\\a\\AppData\\Roaming', 'cashier-check', 'Config'));
    expect(configDir(process.env)).toBe(process.env.CASHIER_CHECK_CONFIG_DIR?.trim() || envPaths('cashier-check', { suffix: '' }).config);
  });

  it('agrees with the store that writes', () => {
    const dir = temp();
    const env = { CASHIER_CHECK_CONFIG_DIR: dir };
    const store = openProfileStore(env);
    store.save('default', { secretKey: 's' });
    expect(store.path).toBe(profileFilePath(env));
    expect(profileIn(readProfileFile(profileFilePath(env)), 'default')).toEqual({ secretKey: 's' });
  });
});

describe('readProfileFile', () => {
  it('reads an absent file as empty', () => {
    expect(readProfileFile(join(temp(), 'config.json'))).toEqual({});
  });

  it('never treats inherited names as profiles', () => {
    expect(profileIn({ profiles: {} }, '__proto__')).toBeUndefined();
    expect(profileIn({ profiles: {} }, 'toString')).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"profiles": {"default": {"secretKey": "hidden-value"', 'not valid JSON'],
    ['an array', '[]', 'expected an object with "profiles"'],
    ['profiles not an object', '{"profiles": 3}', 'expected an object with "profiles"'],
  ])('reports %s without quoting the file', (_name, text, detail) => {
    const path = join(temp(), 'config.json');
    writeFileSync(path, text);
    expect(() => readProfileFile(path)).toThrow(`profile file ${path} is corrupt (${detail})`);
    try {
      readProfileFile(path);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hidden-value');
    }
  });
});
