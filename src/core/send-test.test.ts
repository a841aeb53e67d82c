import { createHmac, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { vectors } from '../../test/helpers/vectors.js';
import { estimateSkew, judgeSkew } from './clock-skew.js';
import { planSendTest, runSendTest, type SendOutcome, type SendRequest } from './send-test.js';
import { resolveSettings, type Profile } from './settings.js';

const API_KEY = 'pk_test_7Hq2LmN9xR4vT8sK';
const SECRET = 'sck_test_Zp3Qw8Er5Ty1Ui6Op';
const NOW = 1_795_000_000_000;

/**
 * A narrow stand-in for BlockATM: checks the API key and, on payout/detail, recomputes the
 * HMAC over the query with plain node:crypto. Records every request it got.
 */
function fakeBlockatm(options: { secret?: string; clockOffsetMs?: number; code?: Record<string, string>; html?: boolean; status?: number; v1PublicKey?: string } = {}) {
  const sent: SendRequest[] = [];
  const send = async (request: SendRequest): Promise<SendOutcome> => {
    sent.push(request);
    const url = new URL(request.url);
    const reply = (body: unknown, status = options.status ?? 200): SendOutcome => ({
      ok: true,
      response: { status, headers: { date: new Date(NOW + (options.clockOffsetMs ?? 0)).toUTCString() }, body: options.html ? '<html>dashboard</html>' : JSON.stringify(body), latencyMs: 12 },
    });
    const envelope = (code: string, data?: unknown) => reply({ code: options.code?.[url.pathname] ?? code, success: code === '200', msg: code === '200' ? 'success' : `error ${code}`, data });
    if (url.pathname === '/admin/api/v2/pub/allNetworks') return envelope('200', [{ network: 'Ethereum', chainId: '1' }, { network: 'TRON', chainId: '0x2b6653dc' }]);
    if (request.headers?.['BlockATM-API-Key'] !== API_KEY) return envelope(request.headers?.['BlockATM-API-Key'] ? '000110' : '000112');
    if (url.pathname === '/admin/api/v2/pub/cashier/info') return envelope('200', { name: 'Demo desk', merchantId: 286000260, cashierId: 86100021 });
    const time = request.headers['BlockATM-Request-Time']!;
    const message = request.method === 'GET' ? `${url.search.slice(1)}&time=${time}` : `${Object.entries(JSON.parse(request.body!) as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&')}&time=${time}`;
    const good = options.v1PublicKey
      ? verify('sha256', Buffer.from(message), { key: createPublicKey({ key: Buffer.from(options.v1PublicKey, 'base64'), format: 'der', type: 'spki' }), dsaEncoding: 'der' }, Buffer.from(request.headers['BlockATM-Signature-V1'] ?? '', 'base64'))
      : createHmac('sha256', options.secret ?? SECRET).update(message).digest('hex') === request.headers['BlockATM-Signature-V2'];
    if (!good) return envelope('000105');
    return envelope(url.pathname.endsWith('/payout/order') ? '200' : '000202');
  };
  return { send, sent };
}

function settings(profile: Profile = {}) {
  return resolveSettings({ profile: { baseUrl: 'http://127.0.0.1:4010', apiKey: API_KEY, secretKey: SECRET, cashierId: '86100021', ...profile } });
}

const deps = { now: () => NOW, random: (bytes: number) => 'ab'.repeat(bytes) };
const statuses = (report: Awaited<ReturnType<typeof runSendTest>>) => Object.fromEntries(report.checks.map((check) => [check.name, check.status]));

describe('runSendTest', () => {
  it('passes every check against a correct server and keeps the evidence', async () => {
    const fake = fakeBlockatm();
    const report = await runSendTest({ ...deps, send: fake.send, settings: settings() });
    expect(statuses(report)).toEqual({ reachability: 'pass', 'api-key': 'pass', signature: 'pass', 'clock-skew': 'pass' });
    expect(report).toMatchObject({ passed: 4, failed: 0, warned: 0 });
    expect(report.checks[1]!.detail).toBe('API key accepted: desk "Demo desk", Cashier Desk ID 86100021, merchant 286000260');
    expect(report.checks[2]!.evidence).toMatchObject({ method: 'GET', status: 200, code: '000202', msg: 'error 000202', latencyMs: 12, stringToSign: `bizOrderNo=CCHKABABABABABAB&time=${NOW}` });
    expect(fake.sent.map((r) => new URL(r.url).pathname)).toEqual(['/admin/api/v2/pub/allNetworks', '/admin/api/v2/pub/cashier/info', '/order/api/v2/payout/detail']);
  });

  it('fails the signature check with 000105 and names the key and header to check', async () => {
    const report = await runSendTest({ ...deps, send: fakeBlockatm({ secret: 'sck_the_real_one_000' }).send, settings: settings() });
    const signature = report.checks.find((c) => c.name === 'signature')!;
    expect(signature).toMatchObject({ status: 'fail', evidence: { code: '000105' } });
    expect(signature.hint).toMatch(/secret key, called integration key.*CASHIER_CHECK_SECRET_KEY/);
    expect(signature.hint).toContain('BlockATM-Signature-V2 (lowercase hex HMAC-SHA256)');
    expect(report.failed).toBe(1);
  });

  it('fails an API key BlockATM does not know, naming the key to use', async () => {
    const report = await runSendTest({ ...deps, send: fakeBlockatm().send, settings: settings({ apiKey: 'pk_test_not_this_one' }) });
    expect(report.checks[1]).toMatchObject({ status: 'fail', detail: expect.stringMatching(/000110/) });
    expect(report.checks[1]!.hint).toMatch(/integration public key/);
  });

  it('classifies a network failure and skips what depends on it', async () => {
    const send = async (): Promise<SendOutcome> => ({ ok: false, failure: { kind: 'refused', message: 'connection refused by 127.0.0.1:4010', hint: 'nothing is listening there' }, latencyMs: 3 });
    const report = await runSendTest({ ...deps, send, settings: settings() });
    expect(statuses(report)).toEqual({ reachability: 'fail', 'api-key': 'skip', signature: 'skip', 'clock-skew': 'skip' });
    expect(report.checks[0]).toMatchObject({ detail: 'refused: connection refused by 127.0.0.1:4010', hint: 'nothing is listening there', evidence: { failure: 'refused', status: null } });
  });

  it('warns at 5 s of skew and fails past 30 s, saying which way the clock is off', async () => {
    const behind = await runSendTest({ ...deps, send: fakeBlockatm({ clockOffsetMs: 10_000 }).send, settings: settings() });
    expect(behind.checks[3]).toMatchObject({ status: 'warn', detail: expect.stringMatching(/clock is 10\.5 s \(±500 ms\) behind BlockATM's/) });
    const ahead = await runSendTest({ ...deps, send: fakeBlockatm({ clockOffsetMs: -60_000 }).send, settings: settings() });
    expect(ahead.checks[3]).toMatchObject({ status: 'fail', detail: expect.stringMatching(/59\.5 s .* ahead of BlockATM's.*every signed request is refused/) });
    expect(ahead.checks[3]!.hint).toMatch(/NTP/);
    expect(ahead.skewMs).toBe(-59_500);
  });

  it('blames the clock in the signature hint when BlockATM refuses a skewed request', async () => {
    const send = fakeBlockatm({ clockOffsetMs: -45_000, code: { '/order/api/v2/payout/detail': '000105' } }).send;
    const report = await runSendTest({ ...deps, send, settings: settings() });
    expect(report.checks[2]!.hint).toMatch(/^this machine's clock is .* ahead .*: fix the clock first/);
  });

  it('recognises an answer that is not BlockATM and a rate limit', async () => {
    const html = await runSendTest({ ...deps, send: fakeBlockatm({ html: true }).send, settings: settings() });
    expect(html.checks[0]).toMatchObject({ status: 'fail', detail: 'HTTP 200 without BlockATM\'s JSON envelope' });
    const limited = await runSendTest({ ...deps, send: fakeBlockatm({ status: 429 }).send, settings: settings() });
    expect(limited.checks[0]).toMatchObject({ status: 'warn', detail: 'rate limited (HTTP 429)' });
  });

  it('signs with ECDSA for a V1 profile', async () => {
    const key = vectors.ecdsa[0]!;
    const report = await runSendTest({ ...deps, send: fakeBlockatm({ v1PublicKey: key.publicKey }).send, settings: settings({ signatureVersion: 'v1', v1PrivateKey: key.privateKey }) });
    expect(report.checks[2]).toMatchObject({ status: 'pass', evidence: { code: '000202' } });
  });

  it('creates a payout only when asked, and never on production', async () => {
    const payout = { amount: '0.01', chainId: '11155111', symbol: 'USDT', toAddress: '0xc87dd49427a188bf2b601c1d5cd2aaf36bd553d2', custNo: 'c1' };
    const fake = fakeBlockatm();
    const created = await runSendTest({ ...deps, send: fake.send, settings: settings(), createPayout: payout });
    expect(created.checks[4]).toMatchObject({ name: 'create-payout', status: 'pass' });
    expect(JSON.parse(fake.sent[3]!.body!)).toMatchObject({ amount: '0.01', bizOrderNo: 'CCHKPABABABABABAB' });
    const prod = fakeBlockatm();
    const refused = await runSendTest({ ...deps, send: prod.send, settings: settings({ baseUrl: undefined, environment: 'production' }), createPayout: payout });
    expect(refused.checks[4]).toMatchObject({ status: 'fail', detail: expect.stringMatching(/refused/) });
    expect(prod.sent.some((r) => r.url.includes('/payout/order'))).toBe(false);
  });
});

describe('planSendTest', () => {
  it('shows each request with the API key masked, its string to sign and a curl line without the key', () => {
    const plan = planSendTest({ ...deps, settings: settings() });
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.map((r) => r.check)).toEqual(['reachability', 'api-key', 'signature']);
    const signed = plan.value[2]!;
    expect(signed.headers['BlockATM-API-Key']).toBe('pk_t…T8sK');
    expect(signed.stringToSign).toBe(`bizOrderNo=CCHKABABABABABAB&time=${NOW}`);
    expect(signed.headers['BlockATM-Signature-V2']).toBe(createHmac('sha256', SECRET).update(signed.stringToSign!).digest('hex'));
    expect(signed.curl).toContain('"BlockATM-API-Key: $CASHIER_CHECK_API_KEY"');
    expect(JSON.stringify(plan.value)).not.toContain(API_KEY);
    expect(JSON.stringify(plan.value)).not.toContain(SECRET);
  });

  it('says which credential is missing', () => {
    const plan = planSendTest({ ...deps, settings: settings({ secretKey: undefined }) });
    expect(plan).toMatchObject({ ok: false, error: { message: 'secretKey is not set', hint: expect.stringMatching(/CASHIER_CHECK_SECRET_KEY/) } });
  });
});

describe('clock skew', () => {
  it('reads a Date header to the second and judges both directions', () => {
    const estimate = estimateSkew({ date: new Date(NOW + 3_000).toUTCString(), sentAtMs: NOW - 100, receivedAtMs: NOW + 100 })!;
    expect(estimate).toMatchObject({ skewMs: 3_500, uncertaintyMs: 600 });
    expect(judgeSkew(estimate).status).toBe('pass');
    expect(judgeSkew({ ...estimate, skewMs: 5_000 }).status).toBe('warn');
    expect(judgeSkew({ ...estimate, skewMs: -30_001 }).status).toBe('fail');
    expect(judgeSkew({ ...estimate, skewMs: -2_500 })).toMatchObject({ status: 'warn', detail: expect.stringMatching(/ahead.*refuses beyond 1 s/) });
    expect(estimateSkew({ date: 'not a date', sentAtMs: 0, receivedAtMs: 0 })).toBeUndefined();
  });
});
