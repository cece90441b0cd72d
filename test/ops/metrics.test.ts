// Prometheus metrics scraped over HTTP: the counters move with the traffic; the route needs the
// cluster privilege monitor; metrics.port serves the same text without authentication.
import { afterEach, describe, expect, it } from 'vitest';
import { startMetricsListener } from '../../src/ops/metrics-hooks.js';
import { KNOWN_SECRETS } from '../support/secrets.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

/** The value of one sample line, e.g. value(text, 'esgate_http_requests_total{outcome="granted",…}'). */
function value(text: string, sample: string): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}

describe('metrics', () => {
  let t: TestApp;
  afterEach(() => t.close());

  const scrape = async (authorization = t.basic()) => {
    const res = await t.app.inject({ url: '/_esgate/metrics', headers: { authorization } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.body;
  };

  it('counts requests by outcome, credential and status class, and the caches, argon2, decisions and upstream', async () => {
    t = await buildTestApp({ settings: { authc: { throttle: { max_failures_per_user: 2, tarpit: 0 } } } });
    const before = await scrape();
    for (let i = 0; i < 3; i++) await t.app.inject({ url: '/logs/_search', headers: { authorization: t.basic() } });
    await t.app.inject({ url: '/logs/_search', headers: { authorization: t.basic('nobody', KNOWN_SECRETS.wrongPassword) } });
    await t.app.inject({ url: '/logs/_search', headers: { authorization: t.basic('nobody', KNOWN_SECRETS.wrongPassword) } });
    await t.app.inject({ url: '/logs/_search', headers: { authorization: t.basic('nobody', KNOWN_SECRETS.wrongPassword) } });
    await t.app.inject({ url: '/logs/_search' });
    const after = await scrape();
    const delta = (sample: string) => value(after, sample) - value(before, sample);
    expect(delta('esgate_http_requests_total{outcome="granted",credential="basic",status_class="2xx"}')).toBe(4); // 3 searches + the first scrape
    expect(delta('esgate_http_requests_total{outcome="authentication_failed",credential="basic",status_class="4xx"}')).toBe(2);
    expect(delta('esgate_http_requests_total{outcome="throttled",credential="basic",status_class="4xx"}')).toBe(1);
    expect(delta('esgate_http_requests_total{outcome="unauthenticated",credential="none",status_class="4xx"}')).toBe(1);
    expect(delta('esgate_authentication_throttled_total{scope="user"}')).toBe(1);
    expect(delta('esgate_argon2_verifications_total')).toBe(2);
    expect(delta('esgate_cache_lookups_total{cache="credential",result="hit"}')).toBeGreaterThanOrEqual(3);
    expect(delta('esgate_authorization_decisions_total{result="granted"}')).toBe(4);
    expect(delta('esgate_upstream_duration_seconds_count{status_class="2xx"}')).toBe(3);
    expect(delta('esgate_authentication_duration_seconds_count{result="failure"}')).toBeGreaterThanOrEqual(3);
    expect(value(after, 'esgate_store_query_duration_seconds_count{repository="users",method="get"}')).toBeGreaterThan(0);
    expect(after).toContain('esgate_process_cpu_user_seconds_total');
    expect(after).toContain('esgate_argon2_queue_depth 0');
    expect(after).toContain('esgate_audit_lines_total{result="written"} 0');
  });

  it('needs the cluster privilege monitor', async () => {
    t = await buildTestApp();
    await t.ctx.users.create({ username: 'reader', password: KNOWN_SECRETS.userPassword, roles: ['viewer'] });
    await t.ctx.roles.put('scraper', { cluster: ['monitor'], indices: [], applications: [], run_as: [], metadata: {} });
    await t.ctx.users.create({ username: 'prom', password: KNOWN_SECRETS.userPassword, roles: ['scraper'] });
    const denied = await t.app.inject({ url: '/_esgate/metrics', headers: { authorization: t.basic('reader', KNOWN_SECRETS.userPassword) } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.reason).toContain('action [cluster:monitor/esgate/metrics] is unauthorized for user [reader]');
    expect((await t.app.inject({ url: '/_esgate/metrics' })).statusCode).toBe(401);
    expect(await scrape(t.basic('prom', KNOWN_SECRETS.userPassword))).toContain('esgate_http_requests_total');
  });

  it('serves the same text without authentication on a separate listener', async () => {
    t = await buildTestApp();
    await t.app.inject({ url: '/logs/_search', headers: { authorization: t.basic() } });
    const listener = await startMetricsListener(t.ctx.metrics, '127.0.0.1', 0);
    try {
      const res = await fetch(`http://127.0.0.1:${listener.port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('esgate_http_requests_total{outcome="granted",credential="basic",status_class="2xx"} 1');
      expect((await fetch(`http://127.0.0.1:${listener.port}/other`)).status).toBe(404);
    } finally {
      await listener.close();
    }
  });
});
