// esgate as the bench runs it: `node dist/main.js serve` in a child process with ESGATE_* settings,
// a temporary data dir and a bootstrap password that is never printed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, runQuiet, spawnQuiet, stop } from './processes.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = path.join(ROOT, 'dist', 'main.js');

export function basicHeader(username, password) {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** The caller's environment without ESGATE_* (an unknown one would be a config error), plus `settings`. */
function childEnv(settings) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('ESGATE_')) env[name] = value;
  return { ...env, ...settings };
}

async function waitHealthy(url, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`esgate exited with ${child.exitCode}: ${child.outputTail()}`);
    try {
      const response = await fetch(`${url}/_esgate/health`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`esgate did not become healthy within ${timeoutMs} ms: ${child.outputTail()}`);
}

/**
 * Starts one esgate. `settings` adds ESGATE_* variables (e.g. a later ESGATE_AUTHZ_… switch);
 * `nodeArgs` go before dist/main.js (e.g. --cpu-prof); `main` runs another build's dist/main.js;
 * `password` is the bootstrap password (instances sharing one PostgreSQL store share it).
 */
export async function startEsgate({ upstreamUrl, settings = {}, nodeArgs = [], name = 'esgate', main = MAIN, password = randomBytes(18).toString('base64url') }) {
  // The working directory is a fresh temp dir, so config/esgate.yml of the checkout is not read:
  // the bench measures the built-in defaults plus the settings below.
  const workDir = mkdtempSync(path.join(tmpdir(), 'esgate-bench-'));
  const dataDir = path.join(workDir, 'data');
  const port = await freePort();
  const env = childEnv({
    ESGATE_HTTP_HOST: '127.0.0.1',
    ESGATE_HTTP_PORT: String(port),
    ESGATE_UPSTREAM_URL: upstreamUrl,
    ESGATE_DATA_DIR: dataDir,
    ESGATE_BOOTSTRAP_PASSWORD: password,
    ESGATE_LOGGING_LEVEL: 'warn',
    ...settings,
  });
  const child = spawnQuiet(name, process.execPath, [...nodeArgs, main, 'serve'], { cwd: workDir, env });
  // However the run ends (stop(), stopAll() on an error or Ctrl-C), the temp store goes with the process.
  child.once('exit', () => rmSync(workDir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child);
  } catch (err) {
    await stop(child);
    throw err;
  }
  return {
    name,
    url,
    child,
    pid: child.pid,
    /** Basic credentials of the bootstrap superuser `elastic`. */
    authorization: basicHeader('elastic', password),
    /** Adds users through the CLI on the same store (`esgate users useradd`), `parallel` at a time. */
    async addUsers(users, parallel = 2) {
      const queue = [...users];
      const worker = async () => {
        for (let user = queue.shift(); user !== undefined; user = queue.shift()) {
          await runQuiet('esgate users useradd', process.execPath, [main, 'users', 'useradd', user.username, `--password=${user.password}`, '--roles=superuser'], {
            cwd: workDir,
            env,
          });
        }
      };
      await Promise.all(Array.from({ length: parallel }, worker));
    },
    stop: () => stop(child),
  };
}
