// Cache keys for credentials: HMAC-SHA256 under a per-process random key, so the cache holds
// nothing that could be replayed against esgate or another system.
import { createHmac } from 'node:crypto';

export type KeyedDigest = (...parts: readonly string[]) => string;

export function keyedDigest(key: Buffer): KeyedDigest {
  return (...parts) => {
    // Length-prefix each part so ("ab","c") and ("a","bc") differ; one update() on the hot path.
    let message = '';
    for (const part of parts) message += `${part.length}:${part}`;
    return createHmac('sha256', key).update(message).digest('base64url');
  };
}
