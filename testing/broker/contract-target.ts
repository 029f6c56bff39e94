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

export interface ServiceBusTarget {
  readonly connectionString: string;
  readonly isLocal: boolean;
  stop(): Promise<void>;
}

export async function serviceBusTarget(): Promise<ServiceBusTarget> {
  const external = process.env.AZL_CONTRACT_SERVICEBUS_CONNECTION_STRING;
  if (external) return { connectionString: external, isLocal: false, stop: async () => undefined };
  const broker = await startBroker({ entities: localConfig, tickMs: 50 });
  return { connectionString: broker.connectionString, isLocal: true, stop: () => broker.stop() };
}
