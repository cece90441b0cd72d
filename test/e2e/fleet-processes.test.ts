// Three real esgate processes on one PostgreSQL database, as an operator runs a fleet behind a load
// balancer: a revocation answered by one is refused by the others at once; an instance killed
// without a goodbye is waited for only until propagation_timeout, and not at all once its heartbeat
// is old.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { freePort } from '../support/free-port.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Its own build output, so this file and process.test.ts never write the same dist/ at once.
const outDir = path.join(repoRoot, 'node_modules', '.cache', 'esgate-fleet-e2e');
const mainJs = path.join(outDir, 'main.js');
const PASSWORD = 'fleet-Bootstrap-0815';
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

interface Instance {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
}

describe.runIf(postgresAvailable)('a fleet of esgate processes', () => {
  let db: TestDatabase;
  let upstream: FakeUpstream;
  let dir: TempDir;
  const instances: Instance[] = [];

  async function startInstance(): Promise<Instance> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('ESGATE_')) env[name] = value;
    Object.assign(env, {
      ESGATE_HTTP_PORT: String(port),
      ESGATE_UPSTREAM_URL: upstream.url,
      ESGATE_DATA_DIR: dir.path,
      ESGATE_BOOTSTRAP_PASSWORD: PASSWORD,
      ESGATE_STORE_TYPE: 'postgres',
      ESGATE_STORE_POSTGRES_URL: db.url,
      ESGATE_STORE_POSTGRES_POLL_INTERVAL: '200ms',
      ESGATE_STORE_POSTGRES_PROPAGATION_TIMEOUT: '1s',
      ESGATE_LOGGING_LEVEL: 'warn',
    });
    const child = spawn(process.execPath, [mainJs, 'serve'], { cwd: dir.path, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(String(chunk)));
    child.stderr?.on('data', (chunk: Buffer) => out.push(String(chunk)));
    const instance = { child, url: `http://127.0.0.1:${port}`, output: () => out.join('') };
    instances.push(instance);
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`esgate exited: ${instance.output()}`);
      const ok = await fetch(`${instance.url}/_esgate/health`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return instance;
      if (Date.now() > deadline) throw new Error(`esgate not healthy: ${instance.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const call = async (instance: Instance, method: string, url: string, authorization: string, body?: unknown) => {
    const res = await fetch(`${instance.url}${url}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
  };

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 170_000,
    });
    if (!existsSync(mainJs)) throw new Error(`build produced no main.js:\n${build.stdout}\n${build.stderr}`);
    db = await createTestDatabase();
    upstream = await startFakeUpstream();
    dir = tempDir();
    // The first one migrates and bootstraps `elastic`; the others find both done.
    await startInstance();
    await Promise.all([startInstance(), startInstance()]);
  }, 240_000);

  afterAll(async () => {
    // Only the processes this file started.
    for (const instance of instances) instance.child.kill('SIGKILL');
    await upstream?.close();
    await db?.drop();
    dir?.remove();
  });

  it('refuses a revoked API key and an old password on every other instance as soon as the revocation answered', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const admin = basic('elastic', PASSWORD);
    const created = await call(a, 'POST', '/_security/api_key', admin, { name: 'fleet-key' });
    const key = `ApiKey ${String(created.json?.['encoded'])}`;
    for (const other of [b, c]) expect((await call(other, 'GET', '/_security/_authenticate', key)).status).toBe(200);
    expect((await call(a, 'DELETE', '/_security/api_key', admin, { ids: [created.json?.['id']] })).status).toBe(200);
    for (const other of [b, c]) expect((await call(other, 'GET', '/_security/_authenticate', key)).status).toBe(401);

    expect((await call(a, 'PUT', '/_security/user/carol', admin, { password: 'carol-Secret-1', roles: ['viewer'] })).status).toBe(200);
    for (const other of [b, c]) expect((await call(other, 'GET', '/_security/_authenticate', basic('carol', 'carol-Secret-1'))).status).toBe(200);
    expect((await call(b, 'POST', '/_security/user/carol/_password', admin, { password: 'carol-Secret-2' })).status).toBe(200);
    for (const other of [a, c]) expect((await call(other, 'GET', '/_security/_authenticate', basic('carol', 'carol-Secret-1'))).status).toBe(401);
  });

  it('waits for a killed instance only until propagation_timeout, with a warning naming it, and not once its heartbeat is old', async () => {
    const [a, , c] = instances as [Instance, Instance, Instance];
    const admin = basic('elastic', PASSWORD);
    c.child.kill('SIGKILL');
    await new Promise((resolve) => c.child.once('exit', resolve));
    const timed = async () => {
      const created = await call(a, 'POST', '/_security/api_key', admin, { name: 'k' });
      const t0 = Date.now();
      expect((await call(a, 'DELETE', '/_security/api_key', admin, { ids: [created.json?.['id']] })).status).toBe(200);
      return { invalidate: Date.now() - t0 };
    };
    const whileLive = await timed();
    expect(whileLive.invalidate).toBeGreaterThanOrEqual(900);
    // The warning is logged as the call answers; its line reaches this process's pipe a moment later.
    await expect.poll(() => a.output(), { timeout: 5_000, interval: 50 }).toContain('change not acknowledged by every live instance within store.postgres.propagation_timeout');
    // Live means a heartbeat within 5 s.
    await new Promise((resolve) => setTimeout(resolve, 5500));
    const afterwards = await timed();
    expect(afterwards.invalidate).toBeLessThan(900);
  });
});
