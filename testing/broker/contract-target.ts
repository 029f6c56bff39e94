import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NamespaceConfig } from '../../infra/local/broker/entity-config';
import { subscriptionPath } from '../../infra/local/broker/entity-config';
import { startBroker } from '../../infra/local/broker/broker';

/**
 * Where the Service Bus contract suite runs: the project's local broker (default), or a real namespace when
 * `AZL_CONTRACT_SERVICEBUS_CONNECTION_STRING` is set. A real namespace must hold the entities below with the
 * same names and flags (lock durations may be longer: the tests wait for what the broker reports).
 */
export const contractEntities = {
  queue: 'contract-queue',
  sessions: 'contract-sessions',
  topic: 'contract-topic',
  subscriptions: ['sub-a', 'sub-b'] as const,
  /** A subscription of the topic whose rules the rule tests change (and restore to `$Default` afterwards). */
  rulesSubscription: 'sub-rules',
  maxDeliveryCount: 3,
};

const localConfig: NamespaceConfig = {
  queues: [
    {
      path: contractEntities.queue,
      lockDurationMs: 1_500,
      maxDeliveryCount: contractEntities.maxDeliveryCount,
      requiresSession: false,
      duplicateDetectionWindowMs: 10 * 60_000,
      defaultTtlMs: 24 * 3_600_000,
      deadLetterOnExpiration: true,
    },
    {
      path: contractEntities.sessions,
      lockDurationMs: 1_500,
      maxDeliveryCount: contractEntities.maxDeliveryCount,
      requiresSession: true,
      duplicateDetectionWindowMs: 10 * 60_000,
      defaultTtlMs: 24 * 3_600_000,
      deadLetterOnExpiration: true,
    },
  ],
  topics: [
    {
      path: contractEntities.topic,
      duplicateDetectionWindowMs: 10 * 60_000,
      subscriptions: [...contractEntities.subscriptions, contractEntities.rulesSubscription].map((name) => ({
        path: subscriptionPath(contractEntities.topic, name),
        lockDurationMs: 1_500,
        maxDeliveryCount: contractEntities.maxDeliveryCount,
        requiresSession: false,
        duplicateDetectionWindowMs: 0,
        defaultTtlMs: 24 * 3_600_000,
        deadLetterOnExpiration: true,
      })),
    },
  ],
};

/** The namespace as Azure serves it: TLS, shared access keys, the management API over HTTPS. */
export interface SecureTarget {
  /** `Endpoint=sb://<host[:port]>/;SharedAccessKeyName=...;SharedAccessKey=...`. */
  readonly connectionString: string;
  /** `<host[:port]>`, for the SDK's credential constructors. */
  readonly fullyQualifiedNamespace: string;
  readonly keyName: string;
  readonly key: string;
  /** The local broker's self-signed certificate a client must trust; absent for a real namespace. */
  readonly certificatePath?: string;
}

export interface ServiceBusTarget {
  /** For the data plane: the emulator-style plain connection locally, the namespace's own otherwise. */
  readonly connectionString: string;
  readonly secure: SecureTarget;
  readonly isLocal: boolean;
  stop(): Promise<void>;
}

/** The key name Azure gives a namespace's first policy; the local broker's contract key uses it too. */
const LOCAL_KEY_NAME = 'RootManageSharedAccessKey';
const LOCAL_KEY = 'Y29udHJhY3QtdGVzdHMtbG9jYWwtYnJva2VyLWtleQ==';

export async function serviceBusTarget(): Promise<ServiceBusTarget> {
  const external = process.env.AZL_CONTRACT_SERVICEBUS_CONNECTION_STRING;
  if (external) {
    return {
      connectionString: external,
      secure: secureTargetOf(external),
      isLocal: false,
      stop: async () => undefined,
    };
  }
  const broker = await startBroker({
    entities: localConfig,
    tickMs: 50,
    secure: { certificateDir: certificateDir(), sharedAccessKeys: { [LOCAL_KEY_NAME]: LOCAL_KEY } },
  });
  const secure = broker.secure!;
  return {
    connectionString: broker.connectionString,
    secure: {
      connectionString: secure.connectionString,
      fullyQualifiedNamespace: secure.fullyQualifiedNamespace,
      keyName: LOCAL_KEY_NAME,
      key: LOCAL_KEY,
      certificatePath: secure.certificatePath,
    },
    isLocal: true,
    stop: () => broker.stop(),
  };
}

function secureTargetOf(connectionString: string): SecureTarget {
  const fields = new Map(
    connectionString
      .split(';')
      .filter(Boolean)
      .map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)] as const),
  );
  return {
    connectionString,
    fullyQualifiedNamespace: (fields.get('Endpoint') ?? '').replace(/^sb:\/\//, '').replace(/\/$/, ''),
    keyName: fields.get('SharedAccessKeyName') ?? '',
    key: fields.get('SharedAccessKey') ?? '',
  };
}

let certificates: string | undefined;
/** One certificate folder per test process (made on first use, removed at exit): brokers share it. */
function certificateDir(): string {
  if (!certificates) {
    const dir = mkdtempSync(join(tmpdir(), 'azl-broker-certificate-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    certificates = dir;
  }
  return certificates;
}
