export interface ReplayMemory {
  /** The id of the earlier delivery with this verified signature, else undefined (and it is remembered). */
  note(signature: string, id: string): string | undefined;
}

/**
 * Remembers verified signatures to spot exact replays: BlockATM re-signs each retry with a fresh
 * time (D10), so the same signed string twice is a replay, and a verified signature is the HMAC
 * of that string, so it stands for it. Only the first `capacity` are kept, so a flood cannot grow
 * memory. Every delivery is looked up, so the table is built for that: an open-addressed array
 * of the signatures' first 28 bits (a lookup touches one or two slots, where a Map of 64-character
 * strings hashes the string and chases pointers), with the whole signature settling a collision.
 */
export function createReplayMemory(capacity = 10_000): ReplayMemory {
  // At most a third full, so a lookup that finds nothing stops within a slot or two.
  const size = 2 ** Math.ceil(Math.log2(Math.max(4, capacity * 3)));
  const mask = size - 1;
  const keys = new Int32Array(size); // the 28 bits plus one; 0 is an empty slot
  const entries: { signature: string; id: string }[] = new Array<{ signature: string; id: string }>(size);
  let count = 0;
  return {
    note(signature, id) {
      const trimmed = signature.trim();
      const key = (leadingBits(trimmed) & 0xfff_ffff) + 1; // never 0, whatever the text
      let slot = key & mask;
      for (; keys[slot] !== 0; slot = (slot + 1) & mask) {
        if (keys[slot] === key && entries[slot]!.signature === trimmed.toLowerCase()) return entries[slot]!.id;
      }
      if (count < capacity) {
        keys[slot] = key;
        entries[slot] = { signature: trimmed.toLowerCase(), id };
        count += 1;
      }
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
