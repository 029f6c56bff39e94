import { readFileSync } from 'node:fs';
import type { Settings } from '../../../shared/settings/load-settings';

/** Where the local broker's TLS management endpoint is: its connection string and certificate file. */
export interface LocalManagementFiles {
  readonly connectionString: string;
  readonly certificatePath: string;
}

/**
 * The settings with the local broker's TLS management endpoint. The services' own clients use the plain
 * connection (the SDK's AMQP client cannot be told to trust a certificate in-process); the health check's
 * administration client reads backlogs over the TLS port, trusting the broker's certificate.
 */
export function withLocalManagement(
  settings: Settings,
  management: LocalManagementFiles | undefined,
): Settings {
  if (!management) return settings;
  return {
    ...settings,
    serviceBus: {
      ...settings.serviceBus,
      localManagement: {
        connectionString: management.connectionString,
        trustedCertificate: readFileSync(management.certificatePath, 'utf8'),
      },
    },
  };
}
