// Throw-away certificates for TLS tests, made by the machine's openssl in a temp dir: a CA, a
// server certificate for 127.0.0.1/localhost, a client certificate, and an unrelated CA with its
// own client certificate. EC P-256 keys: fast to make. Nothing here is ever committed.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TestCerts {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly otherCaCert: string;
  readonly otherClientCert: string;
  readonly otherClientKey: string;
  /** Reads a file of the set as text. */
  read(file: string): string;
  /** Issues a new server certificate (same key) with this CN, overwriting serverCert. */
  reissueServer(commonName: string): void;
  /** Issues `<name>.crt` for the server key, valid only for `dnsName`; returns its path. */
  issueServerFor(name: string, dnsName: string): string;
}

function openssl(dir: string, args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKey(dir: string, name: string): string {
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name]);
  return path.join(dir, name);
}

function selfSignedCa(dir: string, name: string, cn: string): string {
  const key = newKey(dir, `${name}.key`);
  openssl(dir, ['req', '-x509', '-new', '-key', key, '-subj', `/CN=${cn}`, '-days', '2', '-out', `${name}.crt`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  return path.join(dir, `${name}.crt`);
}

function issue(dir: string, ca: string, name: string, cn: string, extensions: string, key = path.join(dir, `${name}.key`)): void {
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, ['req', '-new', '-key', key, '-subj', `/CN=${cn}`, '-out', `${name}.csr`]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
}

const SERVER_EXT = 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n';
const CLIENT_EXT = 'extendedKeyUsage=clientAuth\n';

export function makeTestCerts(dir: string): TestCerts {
  selfSignedCa(dir, 'ca', 'esgate test CA');
  newKey(dir, 'server.key');
  issue(dir, 'ca', 'server', 'esgate-test-server', SERVER_EXT);
  newKey(dir, 'client.key');
  issue(dir, 'ca', 'client', 'test-client', CLIENT_EXT);
  selfSignedCa(dir, 'other-ca', 'unrelated CA');
  newKey(dir, 'other-client.key');
  issue(dir, 'other-ca', 'other-client', 'stranger', CLIENT_EXT);
  const at = (file: string) => path.join(dir, file);
  return {
    dir,
    caCert: at('ca.crt'),
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
    clientCert: at('client.crt'),
    clientKey: at('client.key'),
    otherCaCert: at('other-ca.crt'),
    otherClientCert: at('other-client.crt'),
    otherClientKey: at('other-client.key'),
    read: (file) => readFileSync(file, 'utf8'),
    reissueServer: (commonName) => issue(dir, 'ca', 'server', commonName, SERVER_EXT),
    issueServerFor: (name, dnsName) => {
      issue(dir, 'ca', name, dnsName, `subjectAltName=DNS:${dnsName}\nextendedKeyUsage=serverAuth\n`, at('server.key'));
      return at(`${name}.crt`);
    },
  };
}
