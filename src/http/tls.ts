// The HTTPS listener: options from http.ssl.*, certificates reloaded in place (new connections get
// the new ones, open connections keep theirs), and a verified client certificate attached to its
// request for later use (a PKI realm).
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import type { ServerOptions } from 'node:https';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ConfigError } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { readTlsMaterial, tlsFiles } from '../config/tls-files.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's certificate, when it sent one and it was verified against http.ssl.certificate_authorities. */
    clientCertificate: ClientCertificate | null;
  }
}

export interface ClientCertificate {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly fingerprint256: string;
}

type HttpSsl = Config['http']['ssl'];

/** https.createServer options for http.ssl; throws ConfigError naming the setting and file. */
export function serverTlsOptions(ssl: HttpSsl): ServerOptions {
  const material = readTlsMaterial('http.ssl', ssl);
  const protocols = ssl.supported_protocols;
  return {
    ...material,
    minVersion: protocols.includes('TLSv1.2') ? 'TLSv1.2' : 'TLSv1.3',
    maxVersion: protocols.includes('TLSv1.3') ? 'TLSv1.3' : 'TLSv1.2',
    requestCert: ssl.client_authentication !== 'none',
    // optional: a client without a certificate is let in; one with a bad certificate is not (below).
    rejectUnauthorized: ssl.client_authentication === 'required',
  };
}

/**
 * With client_authentication optional, Node lets every handshake through; a certificate that was
 * sent but does not verify ends the connection, as a JSSE "want client auth" handshake does.
 */
export function refuseUnverifiedClientCertificates(server: TlsServer, ssl: HttpSsl): void {
  if (ssl.client_authentication !== 'optional') return;
  server.on('secureConnection', (socket: TLSSocket) => {
    if (!socket.authorized && Object.keys(socket.getPeerCertificate()).length > 0) socket.destroy();
  });
}

function flatten(name: Readonly<Record<string, string | string[] | undefined>>): string {
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value ?? ''}`)
    .join(', ');
}

/** Declares request.clientCertificate and fills it for verified certificates. */
export function clientCertificateHook(app: FastifyInstance, ssl: HttpSsl): void {
  app.decorateRequest('clientCertificate', null);
  if (!ssl.enabled || ssl.client_authentication === 'none') return;
  app.addHook('onRequest', async (request) => {
    const socket = request.raw.socket as TLSSocket;
    if (!socket.authorized) return;
    const peer = socket.getPeerCertificate();
    if (Object.keys(peer).length === 0) return;
    request.clientCertificate = {
      subject: flatten(peer.subject as unknown as Record<string, string>),
      issuer: flatten(peer.issuer as unknown as Record<string, string>),
      serialNumber: peer.serialNumber,
      fingerprint256: peer.fingerprint256,
    };
  });
}

/** How often the certificate files are checked for changes (Elasticsearch checks every 5s). */
const WATCH_INTERVAL_MS = 2000;

export interface TlsReloader {
  /** Re-reads the files now; a bad file keeps the current certificates and logs why. */
  reload(): boolean;
  stop(): void;
}

export function watchTlsFiles(server: TlsServer, ssl: HttpSsl, logger: FastifyBaseLogger, intervalMs = WATCH_INTERVAL_MS): TlsReloader {
  const files = tlsFiles(ssl);
  const reload = (): boolean => {
    try {
      server.setSecureContext(serverTlsOptions(ssl));
      logger.info({ files }, 'TLS certificates reloaded');
      return true;
    } catch (err) {
      logger.error({ issues: (err as ConfigError).issues ?? [(err as Error).message] }, 'TLS certificates not reloaded; the previous ones stay in use');
      return false;
    }
  };
  const onChange = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size || current.ino !== previous.ino) reload();
  };
  for (const file of files) watchFile(file, { interval: intervalMs, persistent: false }, onChange);
  return {
    reload,
    stop: () => {
      for (const file of files) unwatchFile(file, onChange);
    },
  };
}
