import { ServiceBusClient } from '@azure/service-bus';
import type { FunctionTable } from '../functions/table';
import { startBroker } from '../infra/local/broker/broker';
import { startLocalHost } from '../hosts/local/functions-host/local-host';
import { silentLogger } from '../shared/logger';
import { HOST_DEFAULTS } from '../hosts/local/functions-host/host-config';
import { queues } from '../shared/messaging/entities';
import { perSecond, round, timed, waitFor } from '../testing/measure';

export interface HostDispatch {
  readonly messages: number;
  readonly hostMs: number;
  readonly hostPerMessageMs: number;
  readonly sdkMs: number;
  readonly sdkPerMessageMs: number;
  readonly dispatchOverheadPerMessageMs: number;
  readonly httpRequests: number;
  readonly httpPerRequestMs: number;
  readonly httpPerSecond: number;
}

const hostConfig = {
  functionTimeoutMs: 60_000,
  serviceBus: {
    maxConcurrentCalls: 16,
    maxConcurrentSessions: 8,
    maxAutoLockRenewalDurationMs: HOST_DEFAULTS.maxAutoLockRenewalDurationMs,
    sessionIdleTimeoutMs: 1_000,
    autoCompleteMessages: true,
  },
};

/**
 * What the local host adds per message: `count` queued messages handled by a no-op function through the host
 * (context, metadata, complete) versus the same messages received and completed by a bare SDK receiver with
 * the same concurrency. Also the per-request cost of an HTTP trigger, over sequential requests.
 */
export async function measureHostDispatch(
  count = 2_000,
  httpRequests = 1_000,
  rounds = 5,
): Promise<HostDispatch> {
  // Alternate the two measurements and keep the medians: a busy 2-core machine makes single runs noisy.
  const runs: HostDispatch[] = [];
  for (let i = 0; i < rounds; i++) runs.push(await measureOnce(count, i === rounds - 1 ? httpRequests : 0));
  const median = (pick: (r: HostDispatch) => number): number => {
    const sorted = runs.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  const hostMs = median((r) => r.hostMs);
  const sdkMs = median((r) => r.sdkMs);
  const last = runs.at(-1)!;
  return {
    ...last,
    hostMs,
    hostPerMessageMs: round(hostMs / count),
    sdkMs,
    sdkPerMessageMs: round(sdkMs / count),
    dispatchOverheadPerMessageMs: round((hostMs - sdkMs) / count),
  };
}

async function measureOnce(count: number, httpRequests: number): Promise<HostDispatch> {
  const sdkMs = await drainWith(count, async (client, done) => {
    const receiver = client.createReceiver('ingest');
    const subscription = receiver.subscribe(
      {
        processMessage: async (m) => {
          await receiver.completeMessage(m);
          done();
        },
        processError: async () => undefined,
      },
      { autoCompleteMessages: false, maxConcurrentCalls: 16 },
    );
    return async () => {
      await subscription.close();
      await receiver.close();
    };
  });
  let handled = 0;
  const table: FunctionTable = [
    {
      kind: 'serviceBusQueue',
      name: 'noop',
      connection: 'ServiceBusConnection',
      queueName: 'ingest',
      isSessionsEnabled: false,
      handler: () => {
        handled += 1;
      },
    },
    {
      kind: 'http',
      name: 'ping',
      route: 'ping',
      methods: ['GET'],
      authLevel: 'function',
      handler: () => ({ jsonBody: { ok: true } }),
    },
  ];
  let httpMs = 0;
  const hostMs = await drainWith(count, async (_client, done, connectionString) => {
    const host = await startLocalHost({
      table: table.map((f) =>
        f.kind === 'serviceBusQueue'
          ? {
              ...f,
              handler: (...args: Parameters<typeof f.handler>) => {
                f.handler(...args);
                done();
              },
            }
          : f,
      ),
      serviceBusConnections: { ServiceBusConnection: connectionString },
      hostConfig,
      http: { port: 0, functionKeys: { default: 'bench' } },
      logger: silentLogger,
    });
    return async () => {
      httpMs = await timed(async () => {
        for (let i = 0; i < httpRequests; i++) {
          const response = await fetch(`${host.http!.url}/api/ping`, {
            headers: { 'x-functions-key': 'bench' },
          });
          await response.arrayBuffer();
        }
      });
      await host.stop();
    };
  });
  void handled;
  return {
    messages: count,
    hostMs: round(hostMs, 1),
    hostPerMessageMs: round(hostMs / count),
    sdkMs: round(sdkMs, 1),
    sdkPerMessageMs: round(sdkMs / count),
    dispatchOverheadPerMessageMs: round((hostMs - sdkMs) / count),
    httpRequests,
    httpPerRequestMs: httpRequests ? round(httpMs / httpRequests) : 0,
    httpPerSecond: httpRequests ? perSecond(httpRequests, httpMs) : 0,
  };
}

/** Queues `count` messages, then times how long `consume` takes to see them all. */
async function drainWith(
  count: number,
  consume: (
    client: ServiceBusClient,
    done: () => void,
    connectionString: string,
  ) => Promise<() => Promise<void>>,
): Promise<number> {
  const broker = await startBroker({ entities: [queues.ingest] });
  const client = new ServiceBusClient(broker.connectionString);
  try {
    const sender = client.createSender('ingest');
    for (let i = 0; i < count; i += 250) {
      await sender.sendMessages(
        Array.from({ length: Math.min(250, count - i) }, (_, j) => ({
          messageId: `d-${i + j}`,
          body: { n: i + j },
        })),
      );
    }
    let seen = 0;
    let stop: (() => Promise<void>) | undefined;
    const ms = await timed(async () => {
      stop = await consume(
        client,
        () => {
          seen += 1;
        },
        broker.connectionString,
      );
      await waitFor(() => seen >= count && broker.namespace.receiver('ingest').size === 0, 300_000);
    });
    await stop?.();
    return ms;
  } finally {
    await client.close();
    await broker.stop();
  }
}
