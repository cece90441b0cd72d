// Found while testing issue 2: with credentials written into upstream.url (http://user:pass@host),
// the 502 reason and the error log line repeated the URL, password included. Since then the
// settings refuse such a URL outright (credentials go in upstream.auth); the redaction stays as a
// second line of defence for URLs built by code rather than read from settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.js';
import { publicUpstreamUrl } from '../../src/proxy/upstream-errors.js';
import { startFakeUpstream } from '../support/fake-upstream.js';
import { expectNoSecrets } from '../support/secrets.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const SECRET = 'upstream-Secret-9911';

describe('regression: upstream URL credentials in 502 bodies and logs', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    // A port that certainly refuses: a fake upstream started and closed again.
    const gone = await startFakeUpstream();
    port = gone.port;
    await gone.close();
    t = await buildTestApp({ settings: { upstream: { url: `http://127.0.0.1:${port}` } } });
  });
  afterAll(() => t.close());

  it('refuses credentials in upstream.url at start-up, without repeating them', async () => {
    const refused = await buildTestApp({ settings: { upstream: { url: `http://esgate:${SECRET}@127.0.0.1:${port}` } } }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(ConfigError);
    expectNoSecrets(String((refused as ConfigError).message), [SECRET]);
  });

  it('names the upstream in the 502 body', async () => {
    const res = await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic() } });
    expect(res.statusCode).toBe(502);
    expect(res.json().error.reason).toBe(`the upstream cluster [http://127.0.0.1:${port}] could not be reached [ECONNREFUSED]`);
  });

  it.each([
    ['http://u:p@127.0.0.1:9201', 'http://127.0.0.1:9201'],
    ['https://u@es.example/prefix/', 'https://es.example/prefix'],
    ['http://127.0.0.1:9201', 'http://127.0.0.1:9201'],
  ])('shows %s as %s', (raw, shown) => {
    expect(publicUpstreamUrl(raw)).toBe(shown);
  });
});
