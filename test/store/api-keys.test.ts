// What is particular to API keys beyond the store contract: the SQLite dialect of the search, keys
// across a restart, and retention by housekeeping.
import { describe, expect, it } from 'vitest';
import { Housekeeping, housekeepingJobs } from '../../src/ops/housekeeping.js';
import { wildcardToGlob } from '../../src/store/sqlite/api-key-query.js';
import { wildcardToLike } from '../../src/store/postgres/api-key-query.js';
import { buildTestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { apiKeyAs, basicAs, createKey } from '../security/api-key-helpers.js';

const DAY = 24 * 3_600_000;

describe('API key search dialects', () => {
  it('turns Elasticsearch wildcards into GLOB patterns with brackets made literal', () => {
    expect(wildcardToGlob('a*b?c')).toBe('a*b?c');
    expect(wildcardToGlob('[x]')).toBe('[[]x[]]');
    expect(wildcardToGlob('a\\*b')).toBe('a[*]b');
  });

  it('turns Elasticsearch wildcards into LIKE patterns with % _ and backslash made literal', () => {
    expect(wildcardToLike('a*b?c')).toBe('a%b_c');
    expect(wildcardToLike('50%_off')).toBe('50\\%\\_off');
    expect(wildcardToLike('a\\*b\\\\')).toBe('a*b\\\\');
  });
});

describe('API keys across a restart and retention', () => {
  it('keeps keys working after esgate restarts on the same data directory', async () => {
    const dir = tempDir();
    const first = await buildTestApp({ dir });
    const key = await createKey(first, basicAs(first), { name: 'durable', expiration: '1d', metadata: { a: 1 } });
    await first.close();
    const second = await buildTestApp({ dir });
    try {
      const me = await second.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(key.encoded) });
      expect(me.statusCode).toBe(200);
      expect(me.json().api_key).toEqual({ id: key.id, name: 'durable' });
      const get = await second.app.inject({ url: `/_security/api_key?id=${key.id}`, headers: basicAs(second) });
      expect(get.json().api_keys[0]).toMatchObject({ name: 'durable', metadata: { a: 1 }, expiration: key.expiration });
    } finally {
      await second.close();
      dir.remove();
    }
  });

  it('keeps expired and invalidated keys readable for the retention period, then the housekeeping job deletes them', async () => {
    const t = await buildTestApp({ settings: { authc: { api_key: { delete_retention_period: '7d', delete_interval: '1h' } } } });
    try {
      const expiring = await createKey(t, basicAs(t), { name: 'expiring', expiration: '1d' });
      const revoked = await createKey(t, basicAs(t), { name: 'revoked' });
      const active = await createKey(t, basicAs(t), { name: 'active' });
      await t.app.inject({ method: 'DELETE', url: '/_security/api_key', headers: basicAs(t), payload: { ids: [revoked.id] } });
      const housekeeping = new Housekeeping({ clock: t.clock, logger: t.ctx.logger }, housekeepingJobs(t.ctx));
      const idsNow = async () =>
        ((await t.app.inject({ url: '/_security/api_key', headers: basicAs(t) })).json().api_keys as Array<{ id: string }>).map((k) => k.id).sort();

      t.clock.advance(7 * DAY);
      await housekeeping.runDue();
      expect(await idsNow()).toEqual([expiring.id, revoked.id, active.id].sort());

      t.clock.advance(DAY + 3_600_000);
      await housekeeping.runDue();
      expect(await idsNow()).toEqual([active.id]);
      expect(t.logs.lines.some((line) => line['job'] === 'retired-api-keys' && line['removed'] === 2)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
