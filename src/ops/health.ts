// GET /_esgate/health: unauthenticated liveness for load balancers and Docker's HEALTHCHECK.
// 200 while the store answers (upstream reachability is reported, not required), 503 otherwise.
import http from 'node:http';
import https from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { upstreamTlsOptions } from '../proxy/upstream-tls.js';
import type { Config } from '../config/schema.js';
import { productHeaderHook } from '../http/product-header.js';
import type { Store } from '../store/types.js';

const UPSTREAM_PROBE_TIMEOUT_MS = 2000;
/** Health is unauthenticated: the upstream is probed at most this often, whatever the request rate. */
const PROBE_REUSE_MS = 2000;

export interface UpstreamProbe {
  readonly reachable: boolean;
  readonly status?: number;
  readonly error?: string;
}

/** HEAD / with esgate's upstream credentials and TLS settings (a private CA, mutual TLS). */
export function probeUpstream(config: Config, tlsOptions: ConnectionOptions = upstreamTlsOptions(config.upstream)): Promise<UpstreamProbe> {
  const { auth, url } = config.upstream;
  const headers: Record<string, string> = {};
  if (auth.type === 'basic') headers['authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  if (auth.type === 'api_key') headers['authorization'] = `ApiKey ${auth.api_key}`;
  const secure = url.startsWith('https:');
  const request = secure ? https.request : http.request;
  return new Promise((resolve) => {
    const req = request(url, { method: 'HEAD', headers, agent: false, timeout: UPSTREAM_PROBE_TIMEOUT_MS, ...tlsOptions }, (res) => {
      res.resume();
      resolve({ reachable: true, status: res.statusCode ?? 0 });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ reachable: false, error: err.code ?? err.name }));
    req.end();
  });
}

export async function healthRoutes(app: FastifyInstance, options: { config: Config; store: Store }): Promise<void> {
  productHeaderHook(app);
  const tlsOptions = upstreamTlsOptions(options.config.upstream);
  // One probe in flight and its answer reused for a moment, so a flood of health checks is not
  // a flood of connections to the cluster.
  let last: { at: number; probe: Promise<UpstreamProbe> } | null = null;
  const upstreamProbe = (): Promise<UpstreamProbe> => {
    const now = performance.now();
    if (last === null || now - last.at >= PROBE_REUSE_MS) last = { at: now, probe: probeUpstream(options.config, tlsOptions) };
    return last.probe;
  };
  app.get('/_esgate/health', async (_request, reply) => {
    let storeOk = true;
    try {
      await options.store.ping();
    } catch {
      storeOk = false;
    }
    const upstream = await upstreamProbe();
    reply.code(storeOk ? 200 : 503);
    return {
      status: storeOk ? (upstream.reachable ? 'green' : 'yellow') : 'red',
      store: { ok: storeOk, type: options.store.kind, status: storeOk ? 'reachable' : 'unreachable' },
      upstream,
    };
  });
}
