export interface ReplayMemory {
  /** The id of the earlier delivery with this verified signature, else undefined (and it is remembered). */
  note(signature: string, id: string): string | undefined;
}

/**
 * Remembers verified signatures to spot exact replays: BlockATM re-signs each retry with a fresh
 * time (D10), so the same signed string twice is a replay, and a verified signature is the HMAC
 * of that string, so it stands for it. Entries are found by the signature's first 28 bits, a small
 * integer: under load a map keyed by that is much cheaper than one keyed by 64-character strings,
 * and the whole signature settles a collision. Only the first `capacity` are kept, so a flood
 * cannot grow memory.
 */
export function createReplayMemory(capacity = 10_000): ReplayMemory {
  const seen = new Map<number, { signature: string; id: string }>();
  return {
    note(signature, id) {
      const trimmed = signature.trim();
      const key = leadingBits(trimmed);
      const earlier = seen.get(key);
      if (earlier !== undefined) return earlier.signature === trimmed.toLowerCase() ? earlier.id : undefined;
      if (seen.size < capacity) seen.set(key, { signature: trimmed.toLowerCase(), id });
      return undefined;
    },
  };
}

/** The first 7 hex digits as a number, either case (a verified signature is hex). */
function leadingBits(hex: string): number {
  let key = 0;
  for (let i = 0; i < 7 && i < hex.length; i++) {
    const c = hex.charCodeAt(i) | 0x20;
    key = key * 16 + (c <= 0x39 ? c - 0x30 : c - 0x57);
  }
  return key;
}
