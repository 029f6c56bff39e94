import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Certificates for a TLS broker test, made with the openssl CLI (EC P-256, valid two days). */
export interface TestPki {
  readonly caFile: string;
  readonly server: { readonly certFile: string; readonly keyFile: string };
  /** A client certificate with CN=fedora signed by the CA (what Fedora's public certificate is). */
  readonly client: { readonly certFile: string; readonly keyFile: string };
  /** A self-signed CN=fedora certificate the broker must refuse. */
  readonly stranger: { readonly certFile: string; readonly keyFile: string };
}

/** `serverNames`: the DNS names of the server certificate (beside IP 127.0.0.1). */
export function makeTestPki(dir: string, serverNames: readonly string[] = ['localhost']): TestPki {
  const file = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void =>
    void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...key,
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=azlr test CA',
  );
  const signed = (name: string, cn: string, extensions: string): void => {
    openssl('req', ...key, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    writeFileSync(file(`${name}.ext`), `${extensions}\n`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-out',
      `${name}-cert.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  };
  const altNames = [...serverNames.map((name) => `DNS:${name}`), 'IP:127.0.0.1'].join(',');
  signed('server', serverNames[0] ?? 'localhost', `subjectAltName=${altNames}\nextendedKeyUsage=serverAuth`);
  signed('client', 'fedora', 'extendedKeyUsage=clientAuth');
  openssl(
    'req',
    '-x509',
    ...key,
    '-keyout',
    'stranger-key.pem',
    '-out',
    'stranger-cert.pem',
    '-days',
    '2',
    '-subj',
    '/CN=fedora',
  );
  const pair = (name: string) => ({ certFile: file(`${name}-cert.pem`), keyFile: file(`${name}-key.pem`) });
  return {
    caFile: file('ca.pem'),
    server: pair('server'),
    client: pair('client'),
    stranger: pair('stranger'),
  };
}
