// X-Forwarded-* and Forwarded toward the upstream: client-sent values are kept (and esgate's hop
// appended) only when the peer is one of the configured proxies; otherwise they are replaced by
// what esgate itself saw, so a client cannot spoof its address to the upstream.
import proxyAddr from 'proxy-addr';

export interface ForwardedInput {
  readonly peer: string;
  readonly protocol: 'http' | 'https';
  readonly host: string | undefined;
  readonly forwardedFor: string | undefined;
  readonly forwardedProto: string | undefined;
  readonly forwardedHost: string | undefined;
  /** RFC 7239 `Forwarded`, as the client sent it. */
  readonly forwarded?: string | undefined;
}

export interface ForwardedOutput {
  readonly for: string;
  readonly proto: string;
  readonly host: string | undefined;
  /** RFC 7239 `Forwarded` to send, or undefined for none. */
  readonly forwarded?: string | undefined;
}

export type TrustPeer = (address: string) => boolean;

export function trustPeer(trustedProxies: readonly string[]): TrustPeer {
  if (trustedProxies.length === 0) return () => false;
  const trust = proxyAddr.compile([...trustedProxies]);
  return (address) => trust(address, 0);
}

/** One RFC 7239 forwarded-element for esgate's own hop; IPv6 nodes are quoted and bracketed (§6). */
function forwardedElement(peer: string, proto: string, host: string | undefined): string {
  const node = peer.includes(':') ? `"[${peer}]"` : peer;
  const hostPart = host === undefined ? '' : `;host="${host.replace(/["\\]/g, '')}"`;
  return `for=${node};proto=${proto}${hostPart}`;
}

export function forwardedHeaders(input: ForwardedInput, trusted: TrustPeer): ForwardedOutput {
  if (trusted(input.peer)) {
    return {
      for: input.forwardedFor ? `${input.forwardedFor}, ${input.peer}` : input.peer,
      proto: input.forwardedProto ?? input.protocol,
      host: input.forwardedHost ?? input.host,
      forwarded: input.forwarded ? `${input.forwarded}, ${forwardedElement(input.peer, input.protocol, input.host)}` : undefined,
    };
  }
  return { for: input.peer, proto: input.protocol, host: input.host, forwarded: undefined };
}
