// X-Forwarded-* toward the upstream: client-sent values are kept only when the peer is one of the
// configured proxies; otherwise they are replaced by what esgate itself saw.
import proxyAddr from 'proxy-addr';

export interface ForwardedInput {
  readonly peer: string;
  readonly protocol: 'http' | 'https';
  readonly host: string | undefined;
  readonly forwardedFor: string | undefined;
  readonly forwardedProto: string | undefined;
  readonly forwardedHost: string | undefined;
}

export interface ForwardedOutput {
  readonly for: string;
  readonly proto: string;
  readonly host: string | undefined;
}

export type TrustPeer = (address: string) => boolean;

export function trustPeer(trustedProxies: readonly string[]): TrustPeer {
  if (trustedProxies.length === 0) return () => false;
  const trust = proxyAddr.compile([...trustedProxies]);
  return (address) => trust(address, 0);
}

export function forwardedHeaders(input: ForwardedInput, trusted: TrustPeer): ForwardedOutput {
  if (trusted(input.peer)) {
    return {
      for: input.forwardedFor ? `${input.forwardedFor}, ${input.peer}` : input.peer,
      proto: input.forwardedProto ?? input.protocol,
      host: input.forwardedHost ?? input.host,
    };
  }
  return { for: input.peer, proto: input.protocol, host: input.host };
}
