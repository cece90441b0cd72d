// Starting the bench's own servers as child processes, each with its own event loop like esgate.
import { fileURLToPath } from 'node:url';
import { forkServer, stop } from './processes.js';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

export async function startUpstreamProcess() {
  const { child, url } = await forkServer('upstream', here('./upstream.js'));
  return { url, pid: child.pid, stop: () => stop(child) };
}

export async function startBareProxyProcess(upstreamUrl, nodeArgs = []) {
  const { child, url } = await forkServer('bare-proxy', here('./bare-proxy.js'), [upstreamUrl], nodeArgs);
  return { url, pid: child.pid, stop: () => stop(child) };
}
