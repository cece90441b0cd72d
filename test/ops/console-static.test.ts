// The console's static files over HTTP: CSP and security headers, hashed assets cached for a year,
// gzip, Elasticsearch-shaped 404s, and console.enabled (auto: on for loopback only).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { consoleEnabled, CONSOLE_CSP } from '../../src/ops/console.js';
import { DEFAULT_CONSOLE_DIR } from '../../src/ops/console-assets.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const assetNames = () => readdirSync(join(DEFAULT_CONSOLE_DIR, 'assets'));

describe('console static files', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('serves index.html without credentials, with a strict CSP and no inline script', async () => {
    for (const url of ['/_esgate/console/', '/_esgate/console']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-elastic-product']).toBeUndefined();
      expect(response.body).toMatch(/<script type="module" src="\/_esgate\/console\/assets\/app-[A-Z0-9]+\.js"><\/script>/);
      expect(response.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(response.body).not.toMatch(/\sstyle=|<style/);
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe');
  });

  it('serves hashed assets immutable for a year, gzipped when asked', async () => {
    const js = assetNames().find((name) => name.endsWith('.js')) as string;
    const plain = await t.app.inject({ method: 'GET', url: `/_esgate/console/assets/${js}` });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(readFileSync(join(DEFAULT_CONSOLE_DIR, 'assets', js)))).toBe(true);
    const gzip = await t.app.inject({ method: 'GET', url: `/_esgate/console/assets/${js}`, headers: { 'accept-encoding': 'gzip, br' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers['vary']).toBe('accept-encoding');
    expect(gunzipSync(gzip.rawPayload).equals(plain.rawPayload)).toBe(true);
    // The budget: under 150 kB of compressed JavaScript.
    expect(gzip.rawPayload.length).toBeLessThan(150_000);
  });

  it('answers unknown assets and pages with Elasticsearch 404s, never the upstream', async () => {
    for (const url of ['/_esgate/console/assets/nope.js', '/_esgate/console/assets/..%2F..%2Fpackage.json', '/_esgate/console/other', '/_esgate/console/assets/a/b']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toMatchObject({ status: 404, error: { type: 'resource_not_found_exception' } });
    }
    expect(t.upstream.requests).toHaveLength(0);
  });
});

describe('console.enabled', () => {
  const config = (settings: Record<string, unknown>) => loadConfig({ env: {}, cwd: '/', overrides: settings });

  it('auto serves it on loopback addresses only', () => {
    expect(consoleEnabled(config({}))).toBe(true);
    expect(consoleEnabled(config({ http: { host: '::1' } }))).toBe(true);
    expect(consoleEnabled(config({ http: { host: 'localhost' } }))).toBe(true);
    expect(consoleEnabled(config({ http: { host: '0.0.0.0' } }))).toBe(false);
    expect(consoleEnabled(config({ http: { host: '0.0.0.0' }, console: { enabled: true } }))).toBe(true);
    expect(consoleEnabled(config({ console: { enabled: false } }))).toBe(false);
  });

  it('reads true and false from ESGATE_CONSOLE_ENABLED and names a bad value', () => {
    expect(loadConfig({ env: { ESGATE_CONSOLE_ENABLED: 'true' }, cwd: '/' }).console.enabled).toBe(true);
    expect(loadConfig({ env: { ESGATE_CONSOLE_ENABLED: 'false' }, cwd: '/' }).console.enabled).toBe(false);
    expect(() => loadConfig({ env: { ESGATE_CONSOLE_ENABLED: 'yes' }, cwd: '/' })).toThrow(/console\.enabled/);
  });

  it('answers 404 saying how to turn it on when disabled', async () => {
    const t = await buildTestApp({ settings: { console: { enabled: false } } });
    try {
      const response = await t.app.inject({ method: 'GET', url: '/_esgate/console/' });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.reason).toBe('the web console is disabled; set [console.enabled] to true to serve it');
      expect(t.upstream.requests).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});
