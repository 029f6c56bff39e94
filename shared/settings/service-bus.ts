import { serviceBusConnectionString } from './connection-strings';
import type { SettingsReader } from './issues';
import { clientId, managedIdentityCredential, namespaceHost } from './shapes';

/** The Service Bus namespace, as the trigger's `connection: 'ServiceBusConnection'` resolves it. */
export type ServiceBusSettings = (
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'identity'; readonly fullyQualifiedNamespace: string; readonly clientId?: string }
) & {
  /**
   * Set by the local runtime only (no app setting reads it): where its broker serves the management API, which
   * its emulator-style connection (plain AMQP) cannot reach, and the self-signed certificate to trust there.
   * In Azure the administration client uses the namespace above and the system's CAs.
   */
  readonly localManagement?: LocalManagementEndpoint;
};

export interface LocalManagementEndpoint {
  /** `Endpoint=sb://127.0.0.1:<TLS port>/;SharedAccessKeyName=...;SharedAccessKey=...`. */
  readonly connectionString: string;
  /** The certificate as PEM. */
  readonly trustedCertificate: string;
}

const NAME = 'ServiceBusConnection';
const NAMESPACE = `${NAME}__fullyQualifiedNamespace`;
const CREDENTIAL = `${NAME}__credential`;
const CLIENT_ID = `${NAME}__clientId`;

/** A non-empty `ServiceBusConnection` is a connection string and wins, as in the Functions host. */
export function resolveServiceBus(reader: SettingsReader): ServiceBusSettings | undefined {
  if (reader.present(NAME)) {
    const connectionString = reader.optional(NAME, serviceBusConnectionString);
    return connectionString === undefined ? undefined : { kind: 'connectionString', connectionString };
  }
  if (!reader.present(NAMESPACE)) {
    reader.report(NAME, `missing (set ${NAME} or ${NAMESPACE})`);
    return undefined;
  }
  const fullyQualifiedNamespace = reader.optional(NAMESPACE, namespaceHost);
  // `__credential` is validated but not returned: with or without it, a `__clientId` selects the
  // user-assigned identity, and without one the system-assigned identity (or a developer login) is used.
  reader.optional(CREDENTIAL, managedIdentityCredential);
  const identity = reader.optional(CLIENT_ID, clientId);
  if (reader.hasIssuesFor(NAME) || fullyQualifiedNamespace === undefined) return undefined;
  return identity === undefined
    ? { kind: 'identity', fullyQualifiedNamespace }
    : { kind: 'identity', fullyQualifiedNamespace, clientId: identity };
}
