// The HTTPS listener with certificates made in the test by openssl: the official client with the
// CA, protocol versions, client certificates (required, optional), reload without dropping
// connections, and errors that name the setting and the file.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import tls from 'node:tls';
import { Client } from '@elastic/elasticsearch';
import type { FastifyRequest } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.js';
import { watchTlsFiles, type ClientCertificate } from '../../src/http/tls.js';
import { makeTestCerts, type TestCerts } from '../support/certs.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

let certDir: TempDir;
let certs: TestCerts;
beforeAll(() => {
  certDir = tempDir('esgate-certs-');
  certs = makeTestCerts(certDir.path);
});
afterAll(() => certDir.remove());

function sslSettings(extra: Record<string, unknown> = {}) {
  return { http: { ssl: { enabled: true, certificate: certs.serverCert, key: certs.serverKey, ...extra } } };
}

async function httpsBase(t: TestApp): Promise<string> {
  return (await t.listen()).replace(/^http:/, 'https:');
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly peerCn: string | undefined;
}

function get(url: string, options: https.RequestOptions & { authorization?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = options.authorization === undefined ? {} : { authorization: options.authorization };
    const req = https.request(url, { ...options, headers }, (res) => {
      const chunks: Buffer[] = [];
      // Read before the end: a kept-alive socket goes back to its agent then.
      const peerCn = (res.socket as tls.TLSSocket).getPeerCertificate().subject?.CN as string | undefined;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), peerCn }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS listener', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('serves HTTPS to the official client that trusts the CA', async () => {
    t = await buildTestApp({ settings: sslSettings() });
    const node = await httpsBase(t);
    const client = new Client({ node, auth: { username: 'elastic', password: t.password }, tls: { ca: certs.read(certs.caCert) }, maxRetries: 0 });
    try {
      const me = await client.security.authenticate();
      expect(me.username).toBe('elastic');
      expect((await client.cluster.health()).status).toBeTypeOf('string');
    } finally {
      await client.close();
    }
    // A client that does not trust the CA is refused by its own TLS check.
    await expect(get(`${node}/`, { authorization: t.basic() })).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('sets X-Forwarded-Proto https toward the upstream', async () => {
    t = await buildTestApp({ settings: sslSettings() });
    const node = await httpsBase(t);
    const res = await get(`${node}/logs/_search`, { ca: certs.read(certs.caCert), authorization: t.basic() });
    expect(res.status).toBe(200);
    expect(t.upstream.requests.at(-1)?.headers['x-forwarded-proto']).toBe('https');
  });

  it('accepts only the protocols in supported_protocols', async () => {
    t = await buildTestApp({ settings: sslSettings({ supported_protocols: ['TLSv1.3'] }) });
    const node = await httpsBase(t);
    const ca = certs.read(certs.caCert);
    await expect(get(`${node}/`, { ca, maxVersion: 'TLSv1.2', authorization: t.basic() })).rejects.toThrow();
    expect((await get(`${node}/`, { ca, authorization: t.basic() })).status).toBe(200);
  });

  describe('client certificates', () => {
    function captureCertificates(app: TestApp): Array<ClientCertificate | null> {
      const seen: Array<ClientCertificate | null> = [];
      app.app.addHook('onResponse', async (request: FastifyRequest) => {
        seen.push(request.clientCertificate);
      });
      return seen;
    }

    it('required: refuses a handshake without a certificate, attaches a verified one to the request', async () => {
      t = await buildTestApp({ settings: sslSettings({ client_authentication: 'required', certificate_authorities: [certs.caCert] }) });
      const seen = captureCertificates(t);
      const node = await httpsBase(t);
      const ca = certs.read(certs.caCert);
      await expect(get(`${node}/`, { ca, authorization: t.basic() })).rejects.toThrow();
      await expect(get(`${node}/`, { ca, cert: certs.read(certs.otherClientCert), key: certs.read(certs.otherClientKey), authorization: t.basic() })).rejects.toThrow();
      const ok = await get(`${node}/`, { ca, cert: certs.read(certs.clientCert), key: certs.read(certs.clientKey), authorization: t.basic() });
      expect(ok.status).toBe(200);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ subject: 'CN=test-client', issuer: 'CN=esgate test CA' });
      expect(seen[0]?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    });

    it('optional: lets a client without a certificate in, refuses an unverified one, attaches a verified one', async () => {
      t = await buildTestApp({ settings: sslSettings({ client_authentication: 'optional', certificate_authorities: [certs.caCert] }) });
      const seen = captureCertificates(t);
      const node = await httpsBase(t);
      const ca = certs.read(certs.caCert);
      expect((await get(`${node}/`, { ca, authorization: t.basic() })).status).toBe(200);
      await expect(get(`${node}/`, { ca, cert: certs.read(certs.otherClientCert), key: certs.read(certs.otherClientKey), authorization: t.basic() })).rejects.toThrow();
      expect((await get(`${node}/`, { ca, cert: certs.read(certs.clientCert), key: certs.read(certs.clientKey), authorization: t.basic() })).status).toBe(200);
      expect(seen.map((cert) => cert?.subject ?? null)).toEqual([null, 'CN=test-client']);
    });
  });

  it('reloads a changed certificate for new connections while an open connection keeps working', async () => {
    const dir = tempDir('esgate-reload-');
    const own = makeTestCerts(dir.path);
    try {
      t = await buildTestApp({ settings: { http: { ssl: { enabled: true, certificate: own.serverCert, key: own.serverKey } } } });
      const node = await httpsBase(t);
      const reloader = watchTlsFiles(t.app.server as unknown as tls.Server, t.config.http.ssl, t.ctx.logger, 100);
      try {
        const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: own.read(own.caCert) });
        const before = await get(`${node}/`, { agent, authorization: t.basic() });
        expect(before.peerCn).toBe('esgate-test-server');
        own.reissueServer('esgate-renewed');
        const deadline = Date.now() + 5000;
        let fresh: Answer | undefined;
        while (Date.now() < deadline) {
          fresh = await get(`${node}/`, { ca: own.read(own.caCert), agent: false, authorization: t.basic() });
          if (fresh.peerCn === 'esgate-renewed') break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(fresh?.peerCn).toBe('esgate-renewed');
        // The kept-alive connection from before the reload is still served (with its old certificate).
        const kept = await get(`${node}/`, { agent, authorization: t.basic() });
        expect(kept.status).toBe(200);
        expect(kept.peerCn).toBe('esgate-test-server');
        agent.destroy();
        // A broken file keeps the current certificates.
        writeFileSync(own.serverCert, 'not a certificate');
        expect(reloader.reload()).toBe(false);
        expect(t.logs.lines.some((line) => String(line['msg']).includes('not reloaded') && JSON.stringify(line['issues']).includes('http.ssl.certificate'))).toBe(true);
        expect((await get(`${node}/`, { ca: own.read(own.caCert), agent: false, authorization: t.basic() })).status).toBe(200);
      } finally {
        reloader.stop();
      }
    } finally {
      dir.remove();
    }
  });

  describe('errors name the setting and the file', () => {
    async function issuesOf(settings: Record<string, unknown>): Promise<readonly string[]> {
      try {
        t = await buildTestApp({ settings });
      } catch (err) {
        if (err instanceof ConfigError) return err.issues;
        throw err;
      }
      throw new Error('expected a configuration error');
    }

    it('names a missing certificate file', async () => {
      const missing = path.join(certDir.path, 'nope.crt');
      expect(await issuesOf(sslSettings({ certificate: missing }))).toEqual([`http.ssl.certificate: cannot read [${missing}] (ENOENT)`]);
    });

    it('names a key that does not belong to the certificate', async () => {
      expect((await issuesOf(sslSettings({ key: certs.clientKey })))[0]).toMatch(/^http\.ssl\.key: \[.*client\.key\] is not the key of http\.ssl\.certificate/);
    });

    it('names key_passphrase for an encrypted key without (or with a wrong) passphrase, and accepts the right one', async () => {
      const encrypted = path.join(certDir.path, 'server-enc.key');
      execFileSync('openssl', ['pkey', '-in', certs.serverKey, '-aes256', '-passout', 'pass:test-only-passphrase', '-out', encrypted]);
      expect((await issuesOf(sslSettings({ key: encrypted })))[0]).toMatch(/^http\.ssl\.key_passphrase: cannot decrypt/);
      expect((await issuesOf(sslSettings({ key: encrypted, key_passphrase: 'wrong' })))[0]).toMatch(/^http\.ssl\.key_passphrase: cannot decrypt .*wrong passphrase/);
      t = await buildTestApp({ settings: sslSettings({ key: encrypted, key_passphrase: 'test-only-passphrase' }) });
      const node = await httpsBase(t);
      expect((await get(`${node}/`, { ca: certs.read(certs.caCert), authorization: t.basic() })).status).toBe(200);
    });

    it('requires certificate and key when enabled, and CAs for client authentication', async () => {
      expect(await issuesOf({ http: { ssl: { enabled: true, client_authentication: 'required' } } })).toEqual([
        'http.ssl.certificate: is required when http.ssl.enabled is true',
        'http.ssl.key: is required when http.ssl.enabled is true',
        'http.ssl.certificate_authorities: is required when http.ssl.client_authentication is required',
      ]);
    });
  });
});
