// Reads and checks the PEM files of a TLS block (http.ssl, upstream.ssl). Every problem names the
// setting and the file, as Elasticsearch's SSL configuration errors do, instead of an OpenSSL stack.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './load.js';

export interface TlsFileSettings {
  readonly certificate: string;
  readonly key: string;
  readonly key_passphrase: string;
  readonly certificate_authorities: readonly string[];
}

export interface TlsMaterial {
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly passphrase?: string;
  readonly ca?: Buffer[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function read(setting: string, file: string, issues: string[]): Buffer | undefined {
  try {
    return readFileSync(path.resolve(file));
  } catch (err) {
    issues.push(`${setting}: cannot read [${path.resolve(file)}] (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

/** Each certificate of a PEM file must parse; returns the first (the leaf of a chain). */
function checkCertificates(setting: string, file: string, pem: Buffer, issues: string[]): X509Certificate | undefined {
  const blocks = pem.toString('utf8').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    issues.push(`${setting}: [${path.resolve(file)}] holds no PEM certificate`);
    return undefined;
  }
  try {
    const parsed = blocks.map((block) => new X509Certificate(block));
    return parsed[0];
  } catch (err) {
    issues.push(`${setting}: [${path.resolve(file)}] is not a valid certificate (${(err as Error).message})`);
    return undefined;
  }
}

/** `prefix` is the block's dotted path (http.ssl, upstream.ssl). Throws ConfigError listing every problem. */
export function readTlsMaterial(prefix: string, settings: TlsFileSettings): TlsMaterial {
  const issues: string[] = [];
  const material: { cert?: Buffer; key?: Buffer; passphrase?: string; ca?: Buffer[] } = {};
  let certificate: X509Certificate | undefined;
  if (settings.certificate !== '') {
    material.cert = read(`${prefix}.certificate`, settings.certificate, issues);
    if (material.cert) certificate = checkCertificates(`${prefix}.certificate`, settings.certificate, material.cert, issues);
  }
  if (settings.key !== '') {
    material.key = read(`${prefix}.key`, settings.key, issues);
    if (settings.key_passphrase !== '') material.passphrase = settings.key_passphrase;
    if (material.key) {
      try {
        const key = createPrivateKey({ key: material.key, ...(material.passphrase === undefined ? {} : { passphrase: material.passphrase }) });
        if (certificate && !certificate.checkPrivateKey(key)) {
          issues.push(`${prefix}.key: [${path.resolve(settings.key)}] is not the key of ${prefix}.certificate [${path.resolve(settings.certificate)}]`);
        }
      } catch (err) {
        const encrypted = /ENCRYPTED/.test(material.key.toString('latin1')) || (err as { code?: string }).code === 'ERR_MISSING_PASSPHRASE';
        issues.push(
          encrypted
            ? `${prefix}.key_passphrase: cannot decrypt [${path.resolve(settings.key)}] (${settings.key_passphrase === '' ? 'the key is encrypted; set the passphrase' : 'wrong passphrase'})`
            : `${prefix}.key: [${path.resolve(settings.key)}] is not a PEM private key`,
        );
      }
    }
  }
  if (settings.certificate_authorities.length > 0) {
    material.ca = [];
    for (const file of settings.certificate_authorities) {
      const pem = read(`${prefix}.certificate_authorities`, file, issues);
      if (pem && checkCertificates(`${prefix}.certificate_authorities`, file, pem, issues)) material.ca.push(pem);
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return material;
}

/** Every file a TLS block names, to watch for changes. */
export function tlsFiles(settings: TlsFileSettings): string[] {
  return [settings.certificate, settings.key, ...settings.certificate_authorities].filter((file) => file !== '').map((file) => path.resolve(file));
}
