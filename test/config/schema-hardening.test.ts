import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';

function problems(overrides: Record<string, unknown>): readonly string[] {
  try {
    loadConfig({ env: {}, cwd: '/nonexistent', overrides });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

describe('settings that would weaken the gateway', () => {
  it.each(['X-Forwarded-For', 'forwarded', 'Proxy-Authorization', 'Expect', 'upgrade'])('refuses %s as the identity header', (name) => {
    expect(problems({ upstream: { identity_header: name } })).toEqual(['upstream.identity_header: must not be a header esgate or HTTP already uses']);
  });

  it('refuses credentials written into upstream.url, without repeating them', () => {
    const issues = problems({ upstream: { url: 'http://admin:s3cret-pw@127.0.0.1:9201' } });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^upstream\.url: must be an http\(s\) URL without credentials/);
    expect(issues.join()).not.toContain('s3cret-pw');
  });

  it('refuses a trusted proxy that is not an address or range, instead of failing at start-up', () => {
    expect(problems({ http: { trusted_proxies: ['10.0.0.0/8', 'not-an-ip'] } })).toEqual(['http.trusted_proxies.1: must be an IP address or CIDR range (e.g. 10.0.0.0/8)']);
    expect(problems({ http: { trusted_proxies: ['10.0.0.0/8', '::1', 'loopback'] } })).toEqual([]);
  });
});
