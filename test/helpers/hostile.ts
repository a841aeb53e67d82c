import { connect, type Socket } from 'node:net';

/** What a hostile request got back: an HTTP status, or the connection closed without one. */
export type Answer = number | 'closed';

export interface HostileCase {
  kind: string;
  /** The bytes to send, in one or more writes. */
  chunks: Buffer[];
  /** Hang up right after sending, without waiting for an answer (dropped mid-body). */
  hangUp?: boolean;
}

export interface Outcome {
  kind: string;
  answer: Answer | 'hung-up';
  /** The start of the answer's body, when there was one. */
  body: string;
  ms: number;
}

/** A small seeded generator, so a failing storm can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CRLF = '\r\n';

function request(method: string, path: string, headers: [string, string][], body: Buffer | string = ''): Buffer {
  const head = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers.map(([name, value]) => `${name}: ${value}`)].join(CRLF);
  return Buffer.concat([Buffer.from(`${head}${CRLF}${CRLF}`, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
}

function post(path: string, body: Buffer | string, extra: [string, string][] = []): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return request('POST', path, [['Content-Type', 'application/json'], ['Content-Length', String(bytes.length)], ...extra], bytes);
}

/**
 * The catalogue of hostile requests. `signedHeaders` are a genuine delivery's headers, so some
 * cases get past the first checks and exercise the deeper ones.
 */
export function hostileCase(index: number, random: () => number, path: string, signedHeaders: [string, string][]): HostileCase {
  const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const kinds: (() => HostileCase)[] = [
    () => ({ kind: 'random bytes', chunks: [bytes(1 + Math.floor(random() * 2048))] }),
    () => ({ kind: 'random body', chunks: [post(path, bytes(Math.floor(random() * 4096)), signedHeaders)] }),
    () => {
      const body = Buffer.from('{"orderNo":"ORDER_1","amount":"2000.00","status":"SUCCESS"}');
      return { kind: 'truncated body', hangUp: true, chunks: [request('POST', path, [['Content-Length', String(body.length + 500)], ...signedHeaders], body)] };
    },
    () => ({ kind: 'invalid UTF-8', chunks: [post(path, Buffer.concat([Buffer.from('{"orderNo":"'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('"}')]), signedHeaders)] }),
    () => ({ kind: 'wrong method', chunks: [request(pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'HEAD', 'FOO']), path, signedHeaders)] }),
    () => ({ kind: 'bad signature', chunks: [post(path, '{"orderNo":"ORDER_1","status":"SUCCESS"}', [['BlockATM-Signature-V2', bytes(32).toString('hex')], ['BlockATM-Request-Time', String(Date.now())], ['BlockATM-Event', 'Payment']])] }),
    () => ({ kind: 'duplicate headers', chunks: [post(path, '{"orderNo":"ORDER_1"}', [...signedHeaders, ...signedHeaders])] }),
    () => ({ kind: 'not JSON', chunks: [post(path, pick(['', 'null', '[]', '"text"', '{"a":', '{"a":1,"a":2}', '{"a":NaN}', '\u0000\u0000']), signedHeaders)] }),
    () => ({ kind: 'malformed HTTP', chunks: [Buffer.from(pick([`POST ${path} HTTP/9.9\r\n\r\n`, 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n', `POST ${path} HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`, `POST ${path} HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcde`, `POST ${path}\u0000 HTTP/1.1\r\n\r\n`]), 'latin1')] }),
    // Blank lines where a request line should be: the server rightly waits for more, so hang up.
    () => ({ kind: 'blank lines', hangUp: true, chunks: [Buffer.from('\r\n'.repeat(1 + Math.floor(random() * 200)))] }),
    () => ({ kind: 'header flood', chunks: [post(path, '{}', Array.from({ length: 80 + Math.floor(random() * 400) }, (_, n): [string, string] => [`X-Flood-${n}`, 'y'.repeat(60)]))] }),
  ];
  // Rare, heavy cases: a few of each per storm, spread by index.
  if (index % 97 === 0) return { kind: 'deep nesting', chunks: [post(path, `${'['.repeat(50_000)}${']'.repeat(50_000)}`, signedHeaders)] };
  if (index % 97 === 1) return { kind: 'deep object nesting', chunks: [post(path, `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`, signedHeaders)] };
  if (index % 97 === 2) return { kind: '10,000 keys', chunks: [post(path, `{${Array.from({ length: 10_000 }, (_, n) => `"k${n}":"${n}"`).join(',')}}`, signedHeaders)] };
  if (index % 97 === 3) return { kind: 'oversized body', chunks: [post(path, Buffer.alloc(2 * 1024 * 1024 + 10, 0x61), signedHeaders)] };
  if (index % 97 === 4) return { kind: 'oversized chunked body', chunks: [request('POST', path, [['Transfer-Encoding', 'chunked'], ...signedHeaders]), ...Array.from({ length: 40 }, () => Buffer.from(`10000\r\n${'b'.repeat(0x10000)}\r\n`))] };
  if (index % 97 === 5) return { kind: 'huge header', chunks: [post(path, '{}', [['X-Huge', 'h'.repeat(64 * 1024)]])] };
  return pick(kinds)();
}

/** Sends one case on a fresh connection; resolves with the status line's code, or how it ended. */
export function sendRaw(port: number, hostileCase: HostileCase, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let received = '';
    let settled = false;
    const finish = (answer: Outcome['answer']): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const bodyAt = received.indexOf('\r\n\r\n');
      resolve({ kind: hostileCase.kind, answer, body: bodyAt === -1 ? '' : received.slice(bodyAt + 4, bodyAt + 4 + 2048), ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish('closed'), timeoutMs);
    socket.on('error', () => finish(statusOf(received) ?? 'closed'));
    socket.on('close', () => finish(statusOf(received) ?? 'closed'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      // Wait for the whole answer when its length is known, so its body can be checked too.
      const status = statusOf(received);
      if (status !== undefined && answerComplete(received)) finish(status);
    });
    socket.on('connect', () => {
      for (const chunk of hostileCase.chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
      }
      if (hostileCase.hangUp) finish('hung-up');
    });
  });
}

function answerComplete(received: string): boolean {
  const headEnd = received.indexOf('\r\n\r\n');
  if (headEnd === -1) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(received.slice(0, headEnd));
  return length === null || received.length - headEnd - 4 >= Number(length[1]);
}

function statusOf(received: string): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
  return match ? Number(match[1]) : undefined;
}

/**
 * Slow clients that drip a request one byte at a time and never finish it. They hold their
 * connections until `stop()`; meanwhile the server must keep serving everyone else.
 */
export function slowDrip(port: number, path: string, clients: number, everyMs: number): { stop(): void } {
  const text = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"orderNo":"${'1'.repeat(100_000)}`;
  const sockets = Array.from({ length: clients }, () => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    return socket;
  });
  let offset = 0;
  const timer = setInterval(() => {
    for (const socket of sockets) if (!socket.destroyed) socket.write(text[offset % text.length]!);
    offset++;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** Runs `count` hostile cases, `width` at a time; stops early (and says so) at the deadline. */
export async function hostileStorm(options: { port: number; path: string; signedHeaders: [string, string][]; count: number; width: number; seed: number; deadlineMs: number; perRequestMs: number }): Promise<{ outcomes: Outcome[]; timedOut: boolean }> {
  const random = seededRandom(options.seed);
  const cases = Array.from({ length: options.count }, (_, index) => hostileCase(index, random, options.path, options.signedHeaders));
  const outcomes: Outcome[] = [];
  const deadline = Date.now() + options.deadlineMs;
  let next = 0;
  let timedOut = false;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      if (Date.now() > deadline) {
        timedOut = true;
        return;
      }
      outcomes.push(await sendRaw(options.port, cases[next++]!, options.perRequestMs));
    }
  };
  await Promise.all(Array.from({ length: options.width }, worker));
  return { outcomes, timedOut };
}

export interface SiegeReport {
  outcomes: Outcome[];
  timedOut: boolean;
  /** A genuine delivery's result while slow clients still held their connections. */
  genuineDuringDrip: boolean;
  /** Same, after the storm. */
  genuineAfter: boolean;
  heapGrowthBytes: number;
  unhandled: unknown[];
  /** Hostile requests answered with 5xx. */
  serverErrors: Outcome[];
  /** Hostile requests the server accepted, as `accepted` (below) judges an answer. */
  accepted: Outcome[];
  kinds: Record<string, string[]>;
}

/**
 * The whole siege: slow-drip clients hold connections while `count` hostile requests arrive;
 * then genuine deliveries must still be verified, and the heap must be back near where it was.
 */
export async function siege(options: {
  port: number;
  path: string;
  signedHeaders: [string, string][];
  genuine: () => Promise<boolean>;
  heapAfterGc: () => Promise<number>;
  watchRejections: () => { stop(): unknown[] };
  /** Whether an answer accepted the request; by default any status below 400. */
  accepted?: (outcome: Outcome) => boolean;
  count?: number;
  seed?: number;
}): Promise<SiegeReport> {
  const rejections = options.watchRejections();
  if (!(await options.genuine())) throw new Error('the genuine delivery failed before the siege began');
  // A short storm first, so code compiled and pools filled on first use do not count as growth.
  await hostileStorm({ port: options.port, path: options.path, signedHeaders: options.signedHeaders, count: 300, width: 16, seed: (options.seed ?? 7) + 1, deadlineMs: 10_000, perRequestMs: 5_000 });
  const before = await options.heapAfterGc();
  const drip = slowDrip(options.port, options.path, 20, 20);
  let storm: { outcomes: Outcome[]; timedOut: boolean };
  let genuineDuringDrip: boolean;
  try {
    storm = await hostileStorm({ port: options.port, path: options.path, signedHeaders: options.signedHeaders, count: options.count ?? 2000, width: 16, seed: options.seed ?? 7, deadlineMs: 20_000, perRequestMs: 5_000 });
    genuineDuringDrip = await options.genuine();
  } finally {
    drip.stop();
  }
  const genuineAfter = await options.genuine();
  const heapGrowthBytes = (await options.heapAfterGc()) - before;
  const kinds: Record<string, Set<string>> = {};
  for (const outcome of storm.outcomes) (kinds[outcome.kind] ??= new Set()).add(String(outcome.answer));
  return {
    ...storm,
    genuineDuringDrip,
    genuineAfter,
    heapGrowthBytes,
    unhandled: rejections.stop(),
    serverErrors: storm.outcomes.filter((o) => typeof o.answer === 'number' && o.answer >= 500),
    accepted: storm.outcomes.filter(options.accepted ?? ((o) => typeof o.answer === 'number' && o.answer < 400)),
    kinds: Object.fromEntries(Object.entries(kinds).map(([kind, answers]) => [kind, [...answers].sort()])),
  };
}
