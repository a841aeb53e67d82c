import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';

interface CheckJson {
  steps: { step: number; status: string; detail: string; hint: string }[];
  passed: number;
  failed: number;
  mode: string;
  receiver: string;
}

async function mockCheck(args: string[]) {
  const config = tempConfigDir();
  try {
    return await runCli(['check', '--mock', ...args], { env: cleanEnv(config.dir) });
  } finally {
    config.cleanup();
  }
}

describe('check --mock', () => {
  it('passes all eight steps against the emulator and the built-in receiver', async () => {
    const { code, stdout, stderr } = await mockCheck([]);
    const lines = stdout.split('\n').filter((line) => /^ ?\d {2}(PASS|FAIL|WARN|SKIP) /.test(line));
    expect(lines, stdout + stderr).toHaveLength(8);
    expect(lines.every((line) => line.includes('PASS'))).toBe(true);
    expect(stdout).toMatch(/emulator http:\/\/127\.0\.0\.1:\d+ · the built-in correct receiver http:\/\/127\.0\.0\.1:\d+\/webhook/);
    expect(stdout).toContain('8 steps: 8 passed, 0 failed, 0 warned, 0 skipped');
    expect(stdout).toContain('000202');
    expect(code).toBe(0);
  });

  it('fails steps 4 and 6 with a receiver that skips verification', async () => {
    const { code, stdout } = await mockCheck(['--vulnerable-receiver', '--json']);
    const json = JSON.parse(stdout) as CheckJson;
    expect(json.steps.map((step) => step.status)).toEqual(['pass', 'pass', 'pass', 'fail', 'pass', 'fail', 'pass', 'pass']);
    expect(json).toMatchObject({ mode: 'mock', receiver: 'vulnerable', passed: 6, failed: 2 });
    expect(json.steps[3]?.detail).toContain('accepted a forgery');
    expect(json.steps[5]?.detail).toMatch(/accepted 7 of 8 forgeries/);
    expect(json.steps[5]?.hint).toContain('cashier-check probe');
    expect(code).toBe(1);
  });

  it('prints only JSON on stdout and leaves no secret anywhere', async () => {
    const { code, stdout, stderr } = await mockCheck(['--json', '--verbose']);
    const json = JSON.parse(stdout) as CheckJson;
    expect(json.passed).toBe(8);
    expect(`${stdout}${stderr}`).not.toMatch(/(sk|whk|pk)_demo_[0-9a-f]{8}/);
    expect(code).toBe(0);
  });
});
