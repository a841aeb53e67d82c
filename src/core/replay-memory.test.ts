import { describe, expect, it } from 'vitest';
import { createReplayMemory } from './replay-memory.js';

const SIGNATURE = 'ab12cd34'.repeat(8);

describe('createReplayMemory', () => {
  it('names the earlier delivery of a signature seen before, in any case and with spaces around it', () => {
    const memory = createReplayMemory();
    expect(memory.note(SIGNATURE, 'first')).toBeUndefined();
    expect(memory.note(SIGNATURE, 'second')).toBe('first');
    expect(memory.note(` ${SIGNATURE.toUpperCase()} `, 'third')).toBe('first');
  });

  it('does not take two signatures that share their first characters for one another', () => {
    const memory = createReplayMemory();
    const other = `${SIGNATURE.slice(0, 60)}ffff`;
    expect(memory.note(SIGNATURE, 'first')).toBeUndefined();
    expect(memory.note(other, 'second')).toBeUndefined();
    expect(memory.note(SIGNATURE, 'third')).toBe('first');
  });

  it('keeps apart many signatures that share their first characters, and finds each again', () => {
    const memory = createReplayMemory(100);
    const signatures = Array.from({ length: 60 }, (_, n) => `abcdef0${n.toString(16).padStart(57, '0')}`);
    for (const [n, signature] of signatures.entries()) expect(memory.note(signature, `id${n}`)).toBeUndefined();
    for (const [n, signature] of signatures.entries()) expect(memory.note(signature, 'again')).toBe(`id${n}`);
  });

  it('remembers no more than its capacity', () => {
    const memory = createReplayMemory(2);
    const signatures = ['1', '2', '3'].map((digit) => digit.repeat(64));
    for (const [n, signature] of signatures.entries()) expect(memory.note(signature, `id${n}`)).toBeUndefined();
    expect(memory.note(signatures[1]!, 'again')).toBe('id1');
    expect(memory.note(signatures[2]!, 'again')).toBeUndefined();
  });
});
