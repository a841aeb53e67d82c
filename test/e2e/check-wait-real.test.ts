import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, tempConfigDir } from '../helpers/cli.js';
import { correctAnswer, hmac, sortedStringToSign, startReceiver, type TestReceiver } from '../helpers/receivers.js';
import type { RunningEmulator } from '../../src/server/emulator/index.js';
import { emulatorFor } from '../helpers/emulator.js';

const KEYS = {
  CASHIER_CHECK_SECRET_KEY: 'sk_test_Wr81cvb0aa2e6f1',
  CASHIER_CHECK_API_KEY: 'pk_test_Wr34zzh7c0d9e2b',
  CASHIER_CHECK_WEBHOOK_KEY: 'whk_test_Wr55aa9f3b8c1d4',
};

let config: ReturnType<typeof tempConfigDir>;
let receiver: TestReceiver;
let emulator: RunningEmulator;
beforeEach(async () => {
  config = tempConfigDir();
  receiver = await startReceiver(correctAnswer(KEYS.CASHIER_CHECK_WEBHOOK_KEY));
  emulator = await emulatorFor(KEYS);
});
afterEach(async () => {
  await emulator.close();
  await receiver.close();
  config.cleanup();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs `check --wait-real` and calls `whenWaiting` once it says it is waiting. */
function runWaiting(args: string[], whenWaiting: (child: ReturnType<typeof spawn>) => Promise<void>) {
  const child = spawn(process.execPath, [BIN, 'check', '--json', ...args], { env: cleanEnv(config.dir, { ...KEYS, CASHIER_CHECK_WEBHOOK_URL: receiver.url, CASHIER_CHECK_BASE_URL: emulator.baseUrl }) });
  let stdout = '';
  let stderr = '';
  let fired = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (!fired && stderr.includes('waiting up to')) {
      fired = true;
      void whenWaiting(child);
    }
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function realDelivery(port: number, key: string) {
  const time = String(Date.now());
  const body = JSON.stringify({ amount: '25.00', cashierId: 86100021, chainId: '1', custNo: 'C1', id: 8210003001, network: 'Ethereum', orderNo: 'REAL-1', status: 'SUCCESS', symbol: 'USDT', txId: '0xabc' });
  return fetch(`http://127.0.0.1:${port}/blockatm/hook`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'BlockATM-Event': 'Payment', 'BlockATM-Request-Time': time, 'BlockATM-Signature-V2': hmac(key, sortedStringToSign(body, time)) },
    body,
  });
}

describe('check --wait-real', () => {
  it('passes step 8 when a real delivery arrives through the public URL and verifies', async () => {
    const port = await freePort();
    const result = await runWaiting(['--wait-real', 'https://tunnel.example/blockatm/hook', '--listen-port', String(port), '--wait-timeout', '20'], async () => {
      await realDelivery(port, KEYS.CASHIER_CHECK_WEBHOOK_KEY);
    });
    const json = JSON.parse(result.stdout) as { steps: { status: string; detail: string }[] };
    expect(json.steps[7]?.status, json.steps[7]?.detail).toBe('pass');
    expect(json.steps[7]?.detail).toMatch(/real Payment SUCCESS REAL-1 delivery arrived and verified/);
    expect(result.stderr).toContain('https://tunnel.example/blockatm/hook');
    expect(result.code).toBe(0);
  });

  it('fails step 8 when the real delivery does not verify', async () => {
    const port = await freePort();
    const result = await runWaiting(['--wait-real', 'https://tunnel.example/blockatm/hook', '--listen-port', String(port), '--wait-timeout', '20'], async () => {
      await realDelivery(port, 'some_other_webhook_key');
    });
    const json = JSON.parse(result.stdout) as { steps: { status: string; detail: string }[] };
    expect(json.steps[7]).toMatchObject({ status: 'fail', detail: expect.stringContaining('did not verify') });
    expect(result.code).toBe(1);
  });

  it('stops waiting on Ctrl-C and exits 130', async () => {
    const port = await freePort();
    const result = await runWaiting(['--wait-real', 'https://tunnel.example/hook', '--listen-port', String(port), '--wait-timeout', '60'], async (child) => {
      child.kill('SIGINT');
    });
    expect(result.code).toBe(130);
  });

  it('exits 3 when nothing arrives in time', async () => {
    const port = await freePort();
    const result = await runWaiting(['--wait-real', 'https://tunnel.example/hook', '--listen-port', String(port), '--wait-timeout', '1'], async () => undefined);
    const json = JSON.parse(result.stdout) as { steps: { status: string; detail: string }[] };
    expect(json.steps[7]).toMatchObject({ status: 'fail', detail: expect.stringContaining('no delivery reached') });
    expect(result.code).toBe(3);
  });
});
