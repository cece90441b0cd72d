// TLS toward the cluster: a private CA, Elasticsearch's verification modes, mutual TLS; failures
// are 502s that say why, and the health probe uses the same settings.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startServer } from '../../src/server.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { logSink } from '../support/log-sink.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

interface TlsUpstream {
  readonly url: string;
  readonly clientCns: Array<string | undefined>;
  close(): Promise<void>;
}

let dir: TempDir;
let certs: TestCerts;
beforeAll(() => {
  dir = tempDir('esgate-upstream-tls-');
  certs = makeTestCerts(dir.path);
});
afterAll(() => dir.remove());

async function tlsUpstream(options: { cert?: string; requireClientCert?: boolean } = {}): Promise<TlsUpstream> {
  const clientCns: Array<string | undefined> = [];
  const server = https.createServer(
    {
      cert: certs.read(options.cert ?? certs.serverCert),
      key: certs.read(certs.serverKey),
      ...(options.requireClientCert ? { requestCert: true, rejectUnauthorized: true, ca: certs.read(certs.caCert) } : {}),
    },
    (req, res) => {
      clientCns.push((req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN as string | undefined);
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(req.method === 'HEAD' ? undefined : '{"cluster_name":"tls-test","status":"green"}');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    clientCns,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('upstream TLS', () => {
  let t: TestApp | undefined;
  let upstream: TlsUpstream | undefined;
  afterEach(async () => {
    await t?.close();
    await upstream?.close();
    t = undefined;
    upstream = undefined;
  });

  async function app(url: string, ssl: Record<string, unknown>): Promise<TestApp> {
    return buildTestApp({ settings: { upstream: { url, ssl } } });
  }

  it('full: forwards to a cluster whose certificate the configured CA signed, and the health probe agrees', async () => {
    upstream = await tlsUpstream();
    t = await app(upstream.url, { certificate_authorities: [certs.caCert] });
    const res = await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic() } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ cluster_name: 'tls-test' });
    const health = await t.app.inject({ url: '/_esgate/health' });
    expect(health.json()).toMatchObject({ status: 'green', upstream: { reachable: true, status: 200 } });
  });

  it('full: answers 502 naming the certificate problem when the CA is not trusted', async () => {
    upstream = await tlsUpstream();
    t = await app(upstream.url, {});
    const res = await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic() } });
    expect(res.statusCode).toBe(502);
    expect(res.json().error.reason).toMatch(/could not be reached \[(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\]/);
  });

  it('full refuses a certificate for another host name; certificate accepts it (CA checked, name not)', async () => {
    upstream = await tlsUpstream({ cert: certs.issueServerFor('elsewhere', 'es.elsewhere.test') });
    t = await app(upstream.url, { certificate_authorities: [certs.caCert] });
    const full = await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic() } });
    expect(full.statusCode).toBe(502);
    expect(full.json().error.reason).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    await t.close();
    t = await app(upstream.url, { certificate_authorities: [certs.caCert], verification_mode: 'certificate' });
    expect((await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic() } })).statusCode).toBe(200);
    await t.close();
    // certificate mode still checks the CA.
    t = await app(upstream.url, { certificate_authorities: [certs.otherCaCert], verification_mode: 'certificate' });
    expect((await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic() } })).statusCode).toBe(502);
  });

  it('mutual TLS: presents upstream.ssl.certificate to a cluster that requires one', async () => {
    upstream = await tlsUpstream({ requireClientCert: true });
    t = await app(upstream.url, { certificate_authorities: [certs.caCert] });
    expect((await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic() } })).statusCode).toBe(502);
    await t.close();
    t = await app(upstream.url, { certificate_authorities: [certs.caCert], certificate: certs.clientCert, key: certs.clientKey });
    expect((await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic() } })).statusCode).toBe(200);
    expect(upstream.clientCns.at(-1)).toBe('test-client');
  });

  it('none: checks nothing, and warns at start', async () => {
    upstream = await tlsUpstream({ cert: certs.issueServerFor('none-mode', 'es.none.test') });
    const data = tempDir();
    const logs = logSink();
    const config = loadConfig({
      env: {},
      cwd: data.path,
      overrides: { data_dir: data.path, http: { port: 0 }, upstream: { url: upstream.url, ssl: { verification_mode: 'none' } }, bootstrap: { password: 'bootstrap-pw-1' } },
    });
    const server = await startServer(config, () => undefined, logs);
    try {
      expect(logs.lines.find((line) => line['level'] === 40 && line['setting'] === 'upstream.ssl.verification_mode')).toBeDefined();
      expect(logs.lines.find((line) => line['msg'] === 'esgate started')).toMatchObject({ upstream_reachable: true });
      const res = await server.app.inject({ url: '/_cluster/health', headers: { authorization: `Basic ${Buffer.from('elastic:bootstrap-pw-1').toString('base64')}` } });
      expect(res.statusCode).toBe(200);
    } finally {
      await server.close();
      data.remove();
    }
  });

  it('names the setting and file of an unreadable CA', async () => {
    await expect(app('https://127.0.0.1:1', { certificate_authorities: [`${dir.path}/missing-ca.crt`] })).rejects.toMatchObject({
      issues: [`upstream.ssl.certificate_authorities: cannot read [${dir.path}/missing-ca.crt] (ENOENT)`],
    });
  });
});
