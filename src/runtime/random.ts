// Randomness comes from here so tests can make ids and secrets predictable.
import { randomBytes } from 'node:crypto';

export interface Random {
  bytes(size: number): Buffer;
}

export const systemRandom: Random = { bytes: (size) => randomBytes(size) };
