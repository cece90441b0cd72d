import { describe, expect, it } from 'vitest';
import { forwardedHeaders, trustPeer } from '../../src/proxy/forwarded.js';
import { rewriteRequestHeaders, upstreamHeaderPolicy } from '../../src/proxy/request-headers.js';

const NO_AUTH = { auth: { type: 'none' as const, username: '', password: '', api_key: '' }, identity_header: '' };
const SEEN = { for: '10.0.0.7', proto: 'http', host: 'esgate:9200' } as const;

const CLIENT_HEADERS = {
  host: 'esgate:9200',
  accept: 'application/json',
  authorization: 'Basic ZWxhc3RpYzpjaGFuZ2VtZQ==',
  'es-secondary-authorization': 'ApiKey c2VjcmV0',
  'es-security-runas-user': 'root',
  'proxy-authorization': 'Basic cHJveHk6cHJveHk=',
  'x-forwarded-for': '6.6.6.6',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'spoofed.example',
  forwarded: 'for=6.6.6.6',
  'x-forwarded-user': 'admin',
  'x-opaque-id': 'trace-1',
};

describe('rewriteRequestHeaders', () => {
  it('removes every client credential and spoofable forwarding header, and keeps the rest', () => {
    const out = rewriteRequestHeaders(CLIENT_HEADERS, upstreamHeaderPolicy(NO_AUTH), 'elastic', SEEN);
    expect(out).toEqual({
      host: 'esgate:9200',
      accept: 'application/json',
      'x-opaque-id': 'trace-1',
      // Identity header disabled: a client's X-Forwarded-User is an ordinary header.
      'x-forwarded-user': 'admin',
      'x-forwarded-for': '10.0.0.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'esgate:9200',
    });
  });

  it('does not modify the headers object it was given', () => {
    const input = { ...CLIENT_HEADERS };
    rewriteRequestHeaders(input, upstreamHeaderPolicy(NO_AUTH), 'elastic', SEEN);
    expect(input).toEqual(CLIENT_HEADERS);
  });

  it('sends configured Basic upstream credentials instead of the client ones', () => {
    const policy = upstreamHeaderPolicy({ ...NO_AUTH, auth: { type: 'basic', username: 'esgate', password: 'pä:ss', api_key: '' } });
    const out = rewriteRequestHeaders(CLIENT_HEADERS, policy, 'elastic', SEEN);
    expect(out['authorization']).toBe(`Basic ${Buffer.from('esgate:pä:ss', 'utf8').toString('base64')}`);
  });

  it('sends no upstream credentials for a request esgate did not authenticate (a CORS preflight)', () => {
    const policy = upstreamHeaderPolicy({ ...NO_AUTH, auth: { type: 'api_key', username: '', password: '', api_key: 'aWQ6a2V5' } });
    expect(rewriteRequestHeaders(CLIENT_HEADERS, policy, null, SEEN)).not.toHaveProperty('authorization');
  });

  it('sends a configured upstream API key instead of the client credentials', () => {
    const policy = upstreamHeaderPolicy({ ...NO_AUTH, auth: { type: 'api_key', username: '', password: '', api_key: 'aWQ6a2V5' } });
    expect(rewriteRequestHeaders(CLIENT_HEADERS, policy, 'elastic', SEEN)['authorization']).toBe('ApiKey aWQ6a2V5');
  });

  it('replaces the client copy of the configured identity header with the authenticated username, whatever its case', () => {
    const policy = upstreamHeaderPolicy({ ...NO_AUTH, identity_header: 'X-Forwarded-User' });
    const out = rewriteRequestHeaders(CLIENT_HEADERS, policy, 'rdeniro', SEEN);
    expect(out['x-forwarded-user']).toBe('rdeniro');
  });

  it('removes the client copy of the identity header and sends none when there is no authenticated user', () => {
    const policy = upstreamHeaderPolicy({ ...NO_AUTH, identity_header: 'X-Forwarded-User' });
    const out = rewriteRequestHeaders(CLIENT_HEADERS, policy, null, SEEN);
    expect(out).not.toHaveProperty('x-forwarded-user');
  });

  it('passes a trusted proxy chain and its Forwarded header on', () => {
    const out = rewriteRequestHeaders(CLIENT_HEADERS, upstreamHeaderPolicy(NO_AUTH), 'elastic', {
      ...SEEN,
      forwarded: 'for=1.2.3.4, for=10.0.0.7;proto=http',
    });
    expect(out['forwarded']).toBe('for=1.2.3.4, for=10.0.0.7;proto=http');
  });
});

describe('forwardedHeaders', () => {
  const seen = {
    peer: '10.0.0.7',
    protocol: 'http' as const,
    host: 'esgate:9200',
    forwardedFor: '1.2.3.4',
    forwardedProto: 'https',
    forwardedHost: 'search.example',
    forwarded: 'for=1.2.3.4;proto=https',
  };

  it('replaces every client-sent value when no proxy is configured', () => {
    expect(forwardedHeaders(seen, trustPeer([]))).toEqual({ for: '10.0.0.7', proto: 'http', host: 'esgate:9200', forwarded: undefined });
  });

  it('replaces client-sent values from a peer outside the configured proxies', () => {
    expect(forwardedHeaders(seen, trustPeer(['192.168.0.0/16']))).toMatchObject({ for: '10.0.0.7', proto: 'http', host: 'esgate:9200', forwarded: undefined });
  });

  it('appends the peer to the chain of a configured proxy and keeps its proto and host', () => {
    expect(forwardedHeaders(seen, trustPeer(['10.0.0.0/8']))).toEqual({
      for: '1.2.3.4, 10.0.0.7',
      proto: 'https',
      host: 'search.example',
      forwarded: 'for=1.2.3.4;proto=https, for=10.0.0.7;proto=http;host="esgate:9200"',
    });
  });

  it('uses its own view when a configured proxy sent no forwarding headers', () => {
    const bare = { peer: '::1', protocol: 'http' as const, host: undefined, forwardedFor: undefined, forwardedProto: undefined, forwardedHost: undefined };
    expect(forwardedHeaders(bare, trustPeer(['loopback']))).toEqual({ for: '::1', proto: 'http', host: undefined, forwarded: undefined });
  });

  it('brackets and quotes an IPv6 peer in the Forwarded element', () => {
    const v6 = { ...seen, peer: '::1' };
    expect(forwardedHeaders(v6, trustPeer(['::1'])).forwarded).toBe('for=1.2.3.4;proto=https, for="[::1]";proto=http;host="esgate:9200"');
  });

  it('recognises an IPv4-mapped IPv6 peer as the configured IPv4 proxy', () => {
    expect(forwardedHeaders({ ...seen, peer: '::ffff:10.0.0.7' }, trustPeer(['10.0.0.7'])).for).toBe('1.2.3.4, ::ffff:10.0.0.7');
  });
});
