// Child processes of one bench run: started here, tracked, and all stopped on the way out.
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';

const started = new Set();

function track(child, name) {
  child.benchName = name;
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/** Forks a bench server module that sends {port} over IPC once it listens. */
export async function forkServer(name, modulePath, args = [], execArgv = []) {
  const child = track(fork(modulePath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv }), name);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  try {
    const [message] = await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(([code]) => {
        throw new Error(`${name} exited with ${code} before listening`);
      }),
    ]);
    return { child, url: `http://127.0.0.1:${message.port}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Spawns a process whose output is kept (last 8 KiB) for the error message, never printed otherwise. */
export function spawnQuiet(name, command, args, options) {
  const child = track(spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] }), name);
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.outputTail = () => tail;
  return child;
}

/** Runs a command to completion; rejects with its output when it fails. */
export async function runQuiet(name, command, args, options) {
  const child = spawnQuiet(name, command, args, options);
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${name} exited with ${code}: ${child.outputTail()}`);
}

/** A free TCP port on 127.0.0.1 (for processes that take a fixed port). */
export async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stop(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.all([...started].map((child) => stop(child)));
}
