// Cache keys for credentials: HMAC-SHA256 under a per-process random key, so the cache holds
// nothing that could be replayed against esgate or another system.
import { createHmac } from 'node:crypto';

export type KeyedDigest = (...parts: readonly string[]) => string;

export function keyedDigest(key: Buffer): KeyedDigest {
  return (...parts) => {
    const hmac = createHmac('sha256', key);
    for (const part of parts) {
      // Length-prefix each part so ("ab","c") and ("a","bc") differ.
      hmac.update(`${Buffer.byteLength(part)}:`);
      hmac.update(part);
    }
    return hmac.digest('base64url');
  };
}
