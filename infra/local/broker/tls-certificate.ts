import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError } from '../../../shared/errors';

/** A PEM key and certificate the broker serves TLS with; clients trust `certPath` (it is its own CA). */
export interface LocalCertificate {
  readonly key: string;
  readonly cert: string;
  /** The certificate's file, for `NODE_EXTRA_CA_CERTS` and the `ca` option of TLS clients. */
  readonly certPath: string;
}

const KEY_FILE = 'broker-key.pem';
const CERT_FILE = 'broker-cert.pem';

/**
 * The broker's self-signed certificate in `dir`, made with the `openssl` CLI the first time (an EC P-256 key,
 * valid 825 days, for `localhost`, `127.0.0.1` and `::1`), read again on later runs so a client that trusts it
 * keeps trusting it across restarts. The certificate is its own CA: trusting the file is enough.
 */
export function localCertificate(dir: string): LocalCertificate {
  const keyPath = join(dir, KEY_FILE);
  const certPath = join(dir, CERT_FILE);
  if (!existsSync(keyPath) || !existsSync(certPath)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          keyPath,
          '-out',
          certPath,
          '-days',
          '825',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw PipelineError.permanent(
        'broker.certificate-failed',
        `openssl could not make the broker's TLS certificate in ${dir}: ${stderr || String(error)}`,
        { dir },
      );
    }
  }
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
}
