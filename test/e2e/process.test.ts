// esgate as an operator runs it: the compiled dist/main.js in its own process, talking real HTTP.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { freePort } from '../support/free-port.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mainJs = path.join(repoRoot, 'dist', 'main.js');

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
}

const children = new Set<ChildProcess>();

/** The parent's environment without any ESGATE_* variable, plus the given ones. */
function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('ESGATE_')) env[name] = value;
  return { ...env, ...extra };
}

function start(env: Record<string, string>, args: readonly string[] = []): Running {
  const child = spawn(process.execPath, [mainJs, ...args], { cwd: repoRoot, env: environment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const out: string[] = [];
  const err: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => out.push(String(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => err.push(String(chunk)));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return { child, port: Number(env['ESGATE_HTTP_PORT'] ?? 0), stdout: () => out.join(''), stderr: () => err.join(''), exited };
}

async function waitUntilHealthy(running: Running, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedEarly = false;
  void running.exited.then(() => {
    exitedEarly = true;
  });
  while (Date.now() < deadline) {
    if (exitedEarly) throw new Error(`esgate exited before it was healthy:\n${running.stderr()}\n${running.stdout()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${running.port}/_esgate/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`esgate did not become healthy in ${timeoutMs}ms:\n${running.stderr()}`);
}

async function stop(running: Running): Promise<number | string> {
  running.child.kill('SIGTERM');
  return withTimeout(running.exited, 15_000, 'esgate did not exit after SIGTERM');
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** JSON log lines on stdout (the banner is plain text). */
function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(() => {
  // The compiled entry point is what `npm start` and the Docker image run.
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 170_000,
  });
  if (!existsSync(mainJs)) throw new Error(`build produced no dist/main.js:\n${build.stdout}\n${build.stderr}`);
}, 180_000);

afterEach(() => {
  // Only the children this file started, and only if a test left one behind.
  for (const child of children) child.kill('SIGKILL');
});

describe('esgate process', () => {
  let upstream: FakeUpstream;
  let dir: TempDir;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(async () => {
    await upstream.close();
  });
  afterEach(() => dir?.remove());

  it('prints a generated elastic password exactly once on the first start; it works; a restart prints none', async () => {
    dir = tempDir('esgate-e2e-');
    const port = await freePort();
    const env = { ESGATE_DATA_DIR: dir.path, ESGATE_HTTP_PORT: String(port), ESGATE_UPSTREAM_URL: upstream.url };

    const first = start(env);
    await waitUntilHealthy(first);
    const match = /^ {2}password: (\S+)$/m.exec(first.stdout());
    expect(match, first.stdout()).not.toBeNull();
    const password = match?.[1] as string;
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(first.stdout()).toMatch(/^ {2}username: elastic$/m);
    // The console's address, for a newcomer to open.
    expect(first.stdout()).toContain(`esgate: web console at http://127.0.0.1:${port}/_esgate/console/`);

    const auth = await fetch(`http://127.0.0.1:${port}/_security/_authenticate`, { headers: { authorization: basic('elastic', password) } });
    expect(auth.status).toBe(200);
    expect(await auth.json()).toMatchObject({ username: 'elastic', roles: ['superuser'] });
    const proxied = await fetch(`http://127.0.0.1:${port}/_cluster/health`, { headers: { authorization: basic('elastic', password) } });
    expect(proxied.status).toBe(200);
    const denied = await fetch(`http://127.0.0.1:${port}/_cluster/health`, { headers: { authorization: basic('elastic', `${password}x`) } });
    expect(denied.status).toBe(401);
    expect(await stop(first)).toBe(0);

    const out = first.stdout();
    expect(out.split(password)).toHaveLength(2);
    expect(first.stderr()).not.toContain(password);
    const logs = jsonLines(out);
    expect(logs.some((line) => line['msg'] === 'request' && line['path'] === '/_security/_authenticate')).toBe(true);
    const logText = JSON.stringify(logs);
    expect(logText).not.toContain(password);
    expect(logText).not.toContain(Buffer.from(`elastic:${password}`).toString('base64'));

    const second = start(env);
    await waitUntilHealthy(second);
    const again = await fetch(`http://127.0.0.1:${port}/_security/_authenticate`, { headers: { authorization: basic('elastic', password) } });
    expect(again.status).toBe(200);
    expect(await stop(second)).toBe(0);
    expect(second.stdout()).not.toContain('password:');
    expect(second.stdout()).not.toContain(password);
    expect(second.stdout()).not.toContain('superuser was created');
  }, 60_000);

  it('uses ESGATE_BOOTSTRAP_PASSWORD on first start without printing it', async () => {
    dir = tempDir('esgate-e2e-');
    const port = await freePort();
    const password = 'e2e-Bootstrap-Secret-1';
    const running = start({ ESGATE_DATA_DIR: dir.path, ESGATE_HTTP_PORT: String(port), ESGATE_UPSTREAM_URL: upstream.url, ESGATE_BOOTSTRAP_PASSWORD: password });
    await waitUntilHealthy(running);
    const auth = await fetch(`http://127.0.0.1:${port}/_security/_authenticate`, { headers: { authorization: basic('elastic', password) } });
    expect(auth.status).toBe(200);
    expect(await stop(running)).toBe(0);
    expect(running.stdout()).not.toContain(password);
    expect(running.stdout()).not.toContain('password:');
    expect(running.stderr()).not.toContain(password);
  }, 60_000);

  it('exits with 78 on invalid configuration, naming the setting, without a stack trace', async () => {
    dir = tempDir('esgate-e2e-');
    const running = start({ ESGATE_DATA_DIR: dir.path, ESGATE_HTTP_PORT: '99999', ESGATE_UPSTREAM_URL: 'not a url' });
    expect(await withTimeout(running.exited, 15_000, 'esgate did not exit')).toBe(78);
    const stderr = running.stderr();
    expect(stderr).toContain('http.port');
    expect(stderr).toContain('upstream.url');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(running.stdout()).toBe('');
  }, 30_000);

  it('exits with 64 and the usage for an unknown command', async () => {
    dir = tempDir('esgate-e2e-');
    const running = start({ ESGATE_DATA_DIR: dir.path }, ['frobnicate']);
    expect(await withTimeout(running.exited, 15_000, 'esgate did not exit')).toBe(64);
    expect(running.stderr()).toContain('Usage: esgate');
  }, 30_000);

  it('exits non-zero with a one-line reason when the port is taken', async () => {
    dir = tempDir('esgate-e2e-');
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const running = start({ ESGATE_DATA_DIR: dir.path, ESGATE_HTTP_PORT: String(port), ESGATE_UPSTREAM_URL: upstream.url, ESGATE_BOOTSTRAP_PASSWORD: 'e2e-Bootstrap-Secret-1' });
      const code = await withTimeout(running.exited, 15_000, 'esgate did not exit');
      expect(code).not.toBe(0);
      expect(running.stderr()).toContain('EADDRINUSE');
      expect(running.stderr()).not.toMatch(/^\s+at /m);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 30_000);

  it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
    dir = tempDir('esgate-e2e-');
    // An upstream that answers ~500 ms after the request arrived, and says when it arrived.
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const slow = http.createServer((req, res) => {
      req.resume();
      // esgate's health check probes the upstream too; only the client's request counts.
      if (req.url?.startsWith('/slow/') === true) arrived();
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
        res.end(JSON.stringify({ slow: true, url: req.url }));
      }, 500);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    try {
      const port = await freePort();
      const password = 'e2e-Bootstrap-Secret-1';
      const running = start({ ESGATE_DATA_DIR: dir.path, ESGATE_HTTP_PORT: String(port), ESGATE_UPSTREAM_URL: slowUrl, ESGATE_BOOTSTRAP_PASSWORD: password });
      await waitUntilHealthy(running);

      const inFlight = fetch(`http://127.0.0.1:${port}/slow/_search`, { headers: { authorization: basic('elastic', password) }, signal: AbortSignal.timeout(10_000) });
      await withTimeout(requestArrived, 10_000, 'the request never reached the upstream');
      running.child.kill('SIGTERM');

      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ slow: true, url: '/slow/_search' });
      expect(await withTimeout(running.exited, 15_000, 'esgate did not exit after SIGTERM')).toBe(0);
      expect(jsonLines(running.stdout()).some((line) => line['msg'] === 'shutting down' && line['signal'] === 'SIGTERM')).toBe(true);
      // Stopped accepting: nothing listens on the port any more.
      await expect(fetch(`http://127.0.0.1:${port}/_esgate/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  }, 60_000);

  it('sees a password reset by `esgate reset-password` in another process on the very next request', async () => {
    dir = tempDir('esgate-e2e-');
    const port = await freePort();
    const password = 'e2e-Bootstrap-Secret-1';
    const env = { ESGATE_DATA_DIR: dir.path, ESGATE_HTTP_PORT: String(port), ESGATE_UPSTREAM_URL: upstream.url, ESGATE_BOOTSTRAP_PASSWORD: password };
    const server = start(env);
    await waitUntilHealthy(server);
    const authenticate = (pw: string) => fetch(`http://127.0.0.1:${port}/_security/_authenticate`, { headers: { authorization: basic('elastic', pw) } });
    expect((await authenticate(password)).status).toBe(200);
    expect((await authenticate(password)).status).toBe(200);

    const reset = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'esgate.js'), 'reset-password', '-u', 'elastic', '-b'], {
      cwd: repoRoot,
      env: environment({ ESGATE_DATA_DIR: dir.path }),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(reset.status, reset.stderr).toBe(0);
    const generated = /^New value: (\S+)$/m.exec(reset.stdout)?.[1] as string;
    expect(generated).toBeTruthy();

    expect((await authenticate(password)).status).toBe(401);
    expect((await authenticate(generated)).status).toBe(200);
    expect(await stop(server)).toBe(0);
    expect(server.stdout()).not.toContain(generated);
  }, 60_000);

  it('closes the store on SIGINT too, so the next start opens it cleanly', async () => {
    dir = tempDir('esgate-e2e-');
    const port = await freePort();
    const env = { ESGATE_DATA_DIR: dir.path, ESGATE_HTTP_PORT: String(port), ESGATE_UPSTREAM_URL: upstream.url, ESGATE_BOOTSTRAP_PASSWORD: 'e2e-Bootstrap-Secret-1' };
    const first = start(env);
    await waitUntilHealthy(first);
    first.child.kill('SIGINT');
    expect(await withTimeout(first.exited, 15_000, 'esgate did not exit after SIGINT')).toBe(0);
    // A cleanly closed WAL database leaves no -wal file behind.
    expect(existsSync(path.join(dir.path, 'esgate.db-wal'))).toBe(false);
    const second = start(env);
    await waitUntilHealthy(second);
    expect(await stop(second)).toBe(0);
  }, 60_000);

  it('has an audit line for every response the client received when killed with SIGKILL under load', async () => {
    dir = tempDir('esgate-audit-kill-');
    const port = await freePort();
    const password = 'e2e-Audit-Secret-1';
    const running = start({
      ESGATE_DATA_DIR: dir.path,
      ESGATE_HTTP_PORT: String(port),
      ESGATE_UPSTREAM_URL: upstream.url,
      ESGATE_BOOTSTRAP_PASSWORD: password,
      ESGATE_AUDIT_ENABLED: 'true',
      ESGATE_LOGGING_LEVEL: 'warn',
    });
    await waitUntilHealthy(running);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const answered: string[] = [];
    let sent = 0;
    let stopped = false;
    const one = (id: string) =>
      new Promise<void>((resolve) => {
        const req = http.get(`http://127.0.0.1:${port}/logs/_search`, { agent, headers: { authorization: basic('elastic', password), 'x-opaque-id': id } }, (res) => {
          // The status line is the client having received the response.
          if (res.statusCode === 200) answered.push(id);
          res.resume();
          res.on('end', resolve);
          res.on('error', () => resolve());
        });
        req.on('error', () => resolve());
      });
    const worker = async () => {
      while (!stopped) await one(`req-${sent++}`);
    };
    const workers = Array.from({ length: 16 }, worker);
    // Let the load run (on a busy machine too), then kill without warning while requests are in flight.
    const deadline = Date.now() + 20_000;
    while (answered.length < 300 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    running.child.kill('SIGKILL');
    expect(await withTimeout(running.exited, 10_000, 'esgate did not die')).toBe('SIGKILL');
    stopped = true;
    await Promise.all(workers);
    agent.destroy();
    const audited = new Set(
      readFileSync(path.join(dir.path, 'audit.json'), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line['event.action'] === 'access_granted')
        .map((line) => line['opaque_id']),
    );
    expect(answered.length).toBeGreaterThan(100);
    expect(answered.filter((id) => !audited.has(id))).toEqual([]);
  }, 60_000);
});
