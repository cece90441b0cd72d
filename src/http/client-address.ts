// Who the client is, as an address: the peer, or, behind proxies listed in http.trusted_proxies,
// the nearest X-Forwarded-For hop that is not one of them (proxy-addr, as Express's trust proxy).
// Logs, the audit trail and the brute-force throttle all count by this address.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import proxyAddr from 'proxy-addr';

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's address, resolved once at the start of the request. */
    clientAddress: string;
  }
}

export type ClientAddressOf = (request: IncomingMessage) => string;

const RESOLVED = Symbol('clientAddress');

/**
 * request.clientAddress for every later step (logs, throttle, audit): resolved on first use (the
 * authentication step, while the socket is surely attached) and kept, without a hook per request.
 */
export function clientAddressHook(app: FastifyInstance, clientAddressOf: ClientAddressOf): void {
  app.decorateRequest('clientAddress', {
    getter(this: FastifyRequest & { [RESOLVED]?: string }) {
      this[RESOLVED] ??= clientAddressOf(this.raw);
      return this[RESOLVED];
    },
  });
}

export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressOf {
  if (trustedProxies.length === 0) return (request) => request.socket?.remoteAddress ?? '';
  const trust = proxyAddr.compile([...trustedProxies]);
  return (request) => proxyAddr(request, trust);
}
