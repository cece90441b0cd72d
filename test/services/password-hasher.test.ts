import { describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/services/password-hasher.js';
import { systemRandom } from '../../src/runtime/random.js';

const params = { memory_cost: 19_456, time_cost: 2, parallelism: 1, max_concurrent: 2 };

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(params, systemRandom);

  it('hashes with argon2id at the configured OWASP parameters and verifies only the right password', async () => {
    const hash = await hasher.hash('hasher-Secret-1');
    expect(hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(hash.split('$')[3]?.split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
    expect(await hasher.verify(hash, 'hasher-Secret-1')).toBe(true);
    expect(await hasher.verify(hash, 'hasher-Secret-2')).toBe(false);
  });

  it('recognises its own hashes and PHC strings with m,t,p in the usual order', async () => {
    expect(PasswordHasher.isSupportedHash(await hasher.hash('hasher-Secret-1'))).toBe(true);
    expect(PasswordHasher.isSupportedHash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA')).toBe(true);
  });

  it.each(['', 'plain', '$2a$10$abcdefghijklmnopqrstuu', '$argon2id$v=19$m=1,m=2,p=1$c2FsdA$aGFzaA', '$argon2id$v=19$m=19456,t=2$c2FsdA$aGFzaA'])(
    'does not take %j for an argon2 hash',
    (hash) => {
      expect(PasswordHasher.isSupportedHash(hash)).toBe(false);
    },
  );

  it('answers false, not an error, for a malformed stored hash', async () => {
    expect(await hasher.verify('not-a-hash' as never, 'anything')).toBe(false);
  });
});
