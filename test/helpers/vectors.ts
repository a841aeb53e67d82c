import { readFileSync } from 'node:fs';

export interface HmacVector {
  id: string;
  key: string;
  time?: string;
  body?: string;
  query?: string;
  event?: string;
  stringToSign: string;
  signature: string;
}

export interface EcdsaVector {
  id: string;
  publicKey: string;
  privateKey?: string;
  time: string;
  body: string;
  stringToSign: string;
  signature: string;
}

/** The published and derived BlockATM vectors, copied into the project's fixtures. */
export const vectors = JSON.parse(readFileSync(new URL('../fixtures/vectors.json', import.meta.url), 'utf8')) as {
  hmac: HmacVector[];
  ecdsa: EcdsaVector[];
};

export function hmacVector(id: string): HmacVector {
  const found = vectors.hmac.find((vector) => vector.id === id);
  if (!found) throw new Error(`no vector ${id}`);
  return found;
}
