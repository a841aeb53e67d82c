import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { loadSettings } from './load-settings.js';
import { defaultConfigDir, openProfileStore } from './profile-store.js';

const SECRET = 'sck_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9Ug7mCc1Q0';
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cashier-check-store-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const storeIn = (dir: string) => openProfileStore({ CASHIER_CHECK_CONFIG_DIR: dir });

function thrown(action: () => unknown): CliError {
  try {
    action();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}

async function rejected(action: () => Promise<unknown>): Promise<CliError> {
  const error = await action().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error instanceof CliError) return error;
  throw new Error(`expected a CliError, got ${String(error)}`);
}

describe('profile store', () => {
  it('creates its folder 0700 and its file 0600 only when something is saved', async () => {
    const dir = join(root, 'nested', 'config');
    const store = storeIn(dir);
    expect(store.list()).toEqual([]);
    expect(store.active()).toBeUndefined();
    expect(readdirSync(root)).toEqual([]);
    await store.save('default', { cashierId: '91', secretKey: SECRET }, { activate: true });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(store.get('default')).toEqual({ cashierId: '91', secretKey: SECRET });
    expect(store.active()).toBe('default');
  });

  it('replaces the file atomically (a new file renamed into place) and leaves no temp files', async () => {
    const store = storeIn(root);
    await store.save('a', { cashierId: '1' });
    const before = statSync(store.path).ino;
    await store.save('b', { cashierId: '2' });
    expect(statSync(store.path).ino).not.toBe(before);
    expect(readdirSync(root)).toEqual(['config.json']);
    expect(store.list()).toEqual(['a', 'b']);
  });

  it('keeps the file 0600 even if it was loosened by hand', async () => {
    const store = storeIn(root);
    await store.save('a', { cashierId: '1' });
    const { chmodSync } = await import('node:fs');
    chmodSync(store.path, 0o644);
    await store.save('a', { cashierId: '2' });
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });

  it('deleting the active profile leaves none active, in one write', async () => {
    const store = storeIn(root);
    await store.save('a', { cashierId: '1' }, { activate: true });
    await store.save('b', { cashierId: '2' });
    expect(await store.delete('a')).toBe(true);
    expect(store.active()).toBeUndefined();
    expect(store.list()).toEqual(['b']);
    expect(await store.delete('a')).toBe(false);
    await store.setActive('b');
    expect(await store.delete('a')).toBe(false);
    expect(store.active()).toBe('b');
  });

  it('reports a corrupt file with its path, exit 2, without quoting its contents, and never rewrites it', async () => {
    const path = join(root, 'config.json');
    const text = `{"profiles": {"default": {"secretKey": "${SECRET}",}}}`;
    writeFileSync(path, text, { mode: 0o600 });
    const store = storeIn(root);
    for (const action of [async () => store.list(), () => store.save('x', { cashierId: '1' }), () => store.delete('default')]) {
      const error = await rejected(action);
      expect(error.exitCode).toBe(2);
      expect(error.message).toBe(`profile file ${path} is corrupt (not valid JSON)`);
      expect(`${error.message}${error.hint}`).not.toContain(SECRET);
    }
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('rejects hand-edited values of the wrong type and accepts a bare numeric desk ID', async () => {
    const path = join(root, 'config.json');
    writeFileSync(path, JSON.stringify({ profiles: { a: { cashierId: 91, secretKey: SECRET } } }));
    expect(storeIn(root).get('a')).toEqual({ cashierId: '91', secretKey: SECRET });
    for (const [data, detail] of [
      [[], 'expected a JSON object with "profiles"'],
      [{ profiles: [] }, '"profiles" must be an object of named profiles'],
      [{ profiles: { a: 'x' } }, 'profile "a" must be an object'],
      [{ profiles: { a: { secretKey: 12345678901 } } }, 'profile "a" field secretKey must be a string'],
      [{ activeProfile: 3, profiles: {} }, '"activeProfile" must be a profile name'],
    ] as const) {
      writeFileSync(path, JSON.stringify(data));
      expect(thrown(() => storeIn(root).list()).message).toBe(`profile file ${path} is corrupt (${detail})`);
    }
  });

  it('uses the OS per-user config folder by default', async () => {
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/cashier-check');
    expect(defaultConfigDir({}, 'linux', '/home/u')).toBe('/home/u/.config/cashier-check');
    expect(defaultConfigDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Preferences/cashier-check');
  });
});

describe('loadSettings', () => {
  it('uses the active profile, and an explicit unknown profile is exit 2 naming the known ones', async () => {
    const env = { CASHIER_CHECK_CONFIG_DIR: root };
    await storeIn(root).save('shop', { cashierId: '91' }, { activate: true });
    expect(loadSettings(env, undefined)).toMatchObject({ profileName: 'shop', cashierId: '91', sources: { cashierId: 'profile' } });
    const error = thrown(() => loadSettings(env, 'nope'));
    expect(error).toMatchObject({ exitCode: 2, message: 'unknown profile "nope"' });
    expect(error.hint).toContain('known profiles: shop');
    expect(thrown(() => loadSettings({ ...env, CASHIER_CHECK_PROFILE: 'other' }, undefined)).message).toBe('unknown profile "other"');
  });

  it('fails with exit 2 naming where a bad value came from', async () => {
    const env = { CASHIER_CHECK_CONFIG_DIR: root, CASHIER_CHECK_CASHIER_ID: 'desk-91' };
    const error = thrown(() => loadSettings(env, undefined));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^CASHIER_CHECK_CASHIER_ID: must be the numeric Cashier Desk ID/);
  });

  it('rejects profile names that are not plain words', async () => {
    expect(thrown(() => loadSettings({ CASHIER_CHECK_CONFIG_DIR: root }, '../evil')).message).toMatch(/^--profile: /);
  });
});
