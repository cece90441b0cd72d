// `esgate store migrate --to`: a SQLite store copied into PostgreSQL keeps working credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyAs, basicAs, createKey, userWithRole } from '../security/api-key-helpers.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { buildTestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { cli } from './support.js';

describe.runIf(postgresAvailable)('esgate store migrate', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('copies users, roles, tokens and API keys into an empty PostgreSQL store, verified by counts, and they keep working', async () => {
    const dir = tempDir();
    try {
      const sqlite = await buildTestApp({ dir });
      // The command copies the tokens of the last 24 hours by the real clock.
      sqlite.clock.set(Date.now());
      await userWithRole(sqlite, 'alice', 'watcher', { cluster: ['monitor', 'manage_own_api_key'] });
      const key = await createKey(sqlite, basicAs(sqlite, 'alice'), { name: 'moved', metadata: { env: 'prod' } });
      const grant = await sqlite.app.inject({
        method: 'POST',
        url: '/_security/oauth2/token',
        headers: basicAs(sqlite),
        payload: { grant_type: 'password', username: 'alice', password: 'user-Secret-0815' },
      });
      const token = grant.json().access_token as string;
      await sqlite.close();

      const run = await cli(dir.path, ['store', 'migrate', '--to', db.url]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('copied 2 users, 1 roles, 1 tokens and 1 API keys; the counts in the target match\n');

      const pg = await buildTestApp({ postgresUrl: db.url });
      pg.clock.set(Date.now());
      try {
        expect((await pg.app.inject({ url: '/_security/_authenticate', headers: basicAs(pg, 'alice') })).json()).toMatchObject({ username: 'alice', roles: ['watcher'] });
        expect((await pg.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(key.encoded) })).json().api_key).toEqual({ id: key.id, name: 'moved' });
        expect((await pg.app.inject({ url: '/_security/_authenticate', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
      } finally {
        await pg.close();
      }

      const again = await cli(dir.path, ['store', 'migrate', '--to', db.url]);
      expect(again.code).toBe(65);
      expect(again.stderr).toMatch(/^ERROR: the target store is not empty \(2 users, 1 roles, 1 tokens, 1 API keys\)/);
    } finally {
      dir.remove();
    }
  });

  it('refuses a missing or non-PostgreSQL target with the usage', async () => {
    const dir = tempDir();
    try {
      const run = await cli(dir.path, ['store', 'migrate', '--to', 'mysql://x@h/db']);
      expect(run.code).toBe(64);
      expect(run.stderr).toContain('--to needs a postgres:// URL');
    } finally {
      dir.remove();
    }
  });
});
