import { describe, expect, it } from 'vitest';
import { isUnforwardablePath } from '../../src/proxy/path-guard.js';

describe('isUnforwardablePath', () => {
  it.each([
    '/idx/../_security/user',
    '/idx/%2e%2e/_security/user',
    '/idx%2F..%2F_security/user',
    '/_security%2Fuser',
    '/%5Fsecurity/user',
    '/./_security',
    '//_security/_authenticate',
    '/idx/..//_security',
  ])('refuses %s, which a normalising hop would turn into a _security path', (path) => {
    expect(isUnforwardablePath(path)).toBe(true);
  });

  it.each([
    '/',
    '/_cluster/health',
    '/idx/_search',
    '/idx/_doc/a%2F..%2Fb',
    '/%3Clogs-%7Bnow%2Fd%7D%3E/_search',
    '/idx/_doc/%2F_security',
    '/.kibana/_search',
    '/idx/_doc/_security',
    '/_security_audit/_search',
  ])('forwards %s', (path) => {
    expect(isUnforwardablePath(path)).toBe(false);
  });
});
