// The baseline: a bare @fastify/http-proxy with no authentication, configured like esgate's
// upstream pool (src/proxy/upstream.ts with the default settings), so the ratio esgate / bare
// proxy measures what esgate adds. Run as a child: argv[2] is the upstream URL; sends {port} over IPC.
import httpProxy from '@fastify/http-proxy';
import Fastify from 'fastify';

export async function startBareProxy(upstream, port = 0) {
  const app = Fastify({ logger: false, bodyLimit: 100 * 1024 * 1024 });
  await app.register(httpProxy, {
    upstream,
    prefix: '/',
    http2: false,
    undici: { connections: 128, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 60_000, bodyTimeout: 60_000 },
  });
  await app.listen({ host: '127.0.0.1', port });
  return app;
}

if (process.send) {
  const upstream = process.argv[2];
  if (!upstream) throw new Error('usage: bare-proxy.js UPSTREAM_URL');
  const app = await startBareProxy(upstream);
  process.send({ port: app.server.address().port });
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
  process.on('disconnect', () => process.exit(0));
}
