// Token values, their digests, and the sealing of a refresh's successor pair.
// Tokens are 24 random bytes (192 bits), base64url without padding: opaque to clients, like
// Elasticsearch's. The store sees only SHA-256 digests; the successor pair of a refresh is kept
// encrypted under a key derived from the spent refresh token (Elasticsearch: PBKDF2 + AES-GCM), so a
// racing client that presents the same refresh token can be given the same pair within 30 seconds.
import { createCipheriv, createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import type { Random } from '../runtime/random.js';
import type { SealedTokens, TokenDigest } from '../store/types.js';

const TOKEN_BYTES = 24;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;
const SEAL_VERSION = 'v1';
const HKDF_INFO = Buffer.from('esgate token successor pair v1');

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
}

export function newToken(random: Random): string {
  return random.bytes(TOKEN_BYTES).toString('base64url');
}

/** null when the text cannot be one of our tokens (wrong length or alphabet): no store lookup needed. */
export function tokenDigest(token: string): TokenDigest | null {
  if (!TOKEN_PATTERN.test(token)) return null;
  return createHash('sha256').update(token).digest('base64url') as TokenDigest;
}

/**
 * HKDF rather than a password KDF: the input is a 192-bit random value, so stretching adds nothing.
 * The salt is random per seal; `binding` (the old record's access digest) is authenticated data, so
 * a sealed pair cannot be moved to another record.
 */
function sealKey(refreshToken: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(refreshToken), salt, HKDF_INFO, 32));
}

export function sealPair(pair: TokenPair, refreshToken: string, binding: string, random: Random): SealedTokens {
  const salt = random.bytes(16);
  const iv = random.bytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(refreshToken, salt), iv);
  cipher.setAAD(Buffer.from(binding));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify([pair.accessToken, pair.refreshToken]), 'utf8'), cipher.final()]);
  const parts = [salt, iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url'));
  return [SEAL_VERSION, ...parts].join('.') as SealedTokens;
}

/** null when the sealed value is damaged or was sealed under another refresh token or record. */
export function openPair(sealed: SealedTokens, refreshToken: string, binding: string): TokenPair | null {
  const [version, salt, iv, ciphertext, tag] = sealed.split('.');
  if (version !== SEAL_VERSION || salt === undefined || iv === undefined || ciphertext === undefined || tag === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(refreshToken, Buffer.from(salt, 'base64url')), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(binding));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    const parsed: unknown = JSON.parse(plain);
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') return null;
    return { accessToken: parsed[0], refreshToken: parsed[1] };
  } catch {
    return null;
  }
}
