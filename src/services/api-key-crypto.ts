// API key ids, secrets and the stored digest of a secret.
// id: 20 base64url characters (15 random bytes); secret: 22 base64url characters of 16 random bytes
// (128 bits, as Elasticsearch 8.18+). The store keeps `<salt>$<SHA-256(salt ‖ secret)>`: a fast salted
// hash is enough for a 128-bit random secret (Elasticsearch 9's default `ssha256` does the same).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Random } from '../runtime/random.js';
import type { ApiKeyDigest } from '../store/types.js';

export function newApiKeyId(random: Random): string {
  return random.bytes(15).toString('base64url');
}

export function newApiKeySecret(random: Random): string {
  return random.bytes(16).toString('base64url');
}

/** The `encoded` field: standard base64 of `id:api_key`, what clients send after `ApiKey `. */
export function encodeApiKey(id: string, secret: string): string {
  return Buffer.from(`${id}:${secret}`, 'utf8').toString('base64');
}

function hash(salt: Buffer, secret: string): Buffer {
  return createHash('sha256').update(salt).update(secret, 'utf8').digest();
}

export function digestApiKeySecret(secret: string, random: Random): ApiKeyDigest {
  const salt = random.bytes(16);
  return `${salt.toString('base64url')}$${hash(salt, secret).toString('base64url')}` as ApiKeyDigest;
}

/** Constant-time comparison of the presented secret with the stored digest. */
export function verifyApiKeySecret(secret: string, digest: ApiKeyDigest): boolean {
  const dollar = digest.indexOf('$');
  if (dollar < 0) return false;
  const expected = Buffer.from(digest.slice(dollar + 1), 'base64url');
  const actual = hash(Buffer.from(digest.slice(0, dollar), 'base64url'), secret);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
