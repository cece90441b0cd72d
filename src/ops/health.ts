// GET /_esgate/health: unauthenticated liveness for load balancers and Docker's HEALTHCHECK.
// 200 while the store answers (upstream reachability is reported, not required), 503 otherwise.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import { productHeaderHook } from '../http/product-header.js';
import type { Store } from '../store/types.js';

const UPSTREAM_PROBE_TIMEOUT_MS = 2000;

export async function probeUpstream(config: Config): Promise<{ reachable: boolean; status?: number; error?: string }> {
  const { auth, url } = config.upstream;
  const headers: Record<string, string> = {};
  if (auth.type === 'basic') headers['authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  if (auth.type === 'api_key') headers['authorization'] = `ApiKey ${auth.api_key}`;
  try {
    const response = await fetch(url, { method: 'HEAD', headers, signal: AbortSignal.timeout(UPSTREAM_PROBE_TIMEOUT_MS) });
    return { reachable: true, status: response.status };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { reachable: false, error: cause?.code ?? (err as Error).name };
  }
}

export async function healthRoutes(app: FastifyInstance, options: { config: Config; store: Store }): Promise<void> {
  productHeaderHook(app);
  app.get('/_esgate/health', async (_request, reply) => {
    let storeOk = true;
    try {
      await options.store.ping();
    } catch {
      storeOk = false;
    }
    const upstream = await probeUpstream(options.config);
    reply.code(storeOk ? 200 : 503);
    return { status: storeOk ? (upstream.reachable ? 'green' : 'yellow') : 'red', store: { ok: storeOk, type: options.store.kind }, upstream };
  });
}
