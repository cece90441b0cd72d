// Who the client is, as an address: the peer, or, behind proxies listed in http.trusted_proxies,
// the nearest X-Forwarded-For hop that is not one of them (proxy-addr, as Express's trust proxy).
// Logs, the audit trail and the brute-force throttle all count by this address.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import proxyAddr from 'proxy-addr';

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's address, resolved once at the start of the request. */
    clientAddress: string;
  }
}

export type ClientAddressOf = (request: IncomingMessage) => string;

/** Resolves request.clientAddress first thing, for every later step (logs, throttle, audit). */
export function clientAddressHook(app: FastifyInstance, clientAddressOf: ClientAddressOf): void {
  app.decorateRequest('clientAddress', '');
  app.addHook('onRequest', async (request) => {
    request.clientAddress = clientAddressOf(request.raw);
  });
}

export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressOf {
  if (trustedProxies.length === 0) return (request) => request.socket.remoteAddress ?? '';
  const trust = proxyAddr.compile([...trustedProxies]);
  return (request) => proxyAddr(request, trust);
}
