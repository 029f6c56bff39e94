import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startBroker } from '../../../infra/local/broker/broker';
import type { RunningBroker } from '../../../infra/local/broker/broker';
import { serviceBusProbe } from '../../../infra/health-probes';
import { closeServiceBusClient, createServiceBusClient } from '../../../infra/servicebus';
import type { ServiceBusClient } from '../../../infra/servicebus';
import {
  AdministrationBacklogs,
  createAdministrationClient,
} from '../../../infra/servicebus/administration-backlogs';
import { queues, topics } from '../../../shared/messaging/entities';
import type { ServiceBusSettings } from '../../../shared/settings/load-settings';
import { useTempDir } from '../../../testing/temp-dirs';

/** Backlogs read through the management API of the local broker's TLS port, as the health check reads them. */
const certificateDir = useTempDir('azl-backlogs-');
const entities = [queues.ingest, queues.publish, topics.events];
let broker: RunningBroker;
let client: ServiceBusClient;
let settings: ServiceBusSettings;

beforeAll(async () => {
  broker = await startBroker({
    entities,
    tickMs: 50,
    secure: { certificateDir, sharedAccessKeys: { RootManageSharedAccessKey: 'YmFja2xvZ3MtdGVzdC1rZXk=' } },
  });
  client = createServiceBusClient(
    { kind: 'connectionString', connectionString: broker.connectionString },
    { maxRetries: 0, timeoutMs: 3_000 },
  );
  settings = {
    kind: 'connectionString',
    connectionString: broker.connectionString,
    localManagement: {
      connectionString: broker.secure!.connectionString,
      trustedCertificate: readFileSync(broker.secure!.certificatePath, 'utf8'),
    },
  };
  await client.createSender(queues.ingest.name).sendMessages([{ body: 1 }, { body: 2 }, { body: 3 }]);
  await client
    .createSender(topics.events.name)
    .scheduleMessages({ body: 'later' }, new Date(Date.now() + 3_600_000));
  const receiver = client.createReceiver(queues.ingest.name);
  const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3_000 });
  await receiver.deadLetterMessage(first!, {
    deadLetterReason: 'test',
    deadLetterErrorDescription: 'parked',
  });
  await receiver.close();
});

afterAll(async () => {
  await closeServiceBusClient(client);
  await broker.stop();
});

test('every queue and subscription in definition order, with active, dead-lettered and scheduled counts', async () => {
  const backlogs = await new AdministrationBacklogs(createAdministrationClient(settings), entities).read();
  expect(backlogs).toEqual([
    { entity: 'ingest', active: 2, deadLettered: 1, scheduled: 0 },
    { entity: 'publish', active: 0, deadLettered: 0, scheduled: 0 },
    // The SDK's subscription runtime properties carry no scheduled count (the topic's does).
    ...topics.events.subscriptions.map((s) => ({
      entity: `events/${s.name}`,
      active: 0,
      deadLettered: 0,
      scheduled: 0,
    })),
  ]);
});

test('the health probe gives the backlogs; one it cannot read leaves the data plane healthy and says why', async () => {
  const readable = serviceBusProbe(
    client,
    new AdministrationBacklogs(createAdministrationClient(settings), entities),
  );
  expect(await readable.check(AbortSignal.timeout(5_000))).toMatch(
    /^backlogs: ingest 2 \(1 dead-lettered\), publish 0, events\/\S+ 0/,
  );
  const wrongKey: ServiceBusSettings = {
    ...settings,
    localManagement: {
      ...settings.localManagement!,
      connectionString: broker.secure!.connectionString.replace(
        /SharedAccessKey=[^;]*/,
        'SharedAccessKey=bm9wZQ==',
      ),
    },
  };
  const unreadable = serviceBusProbe(
    client,
    new AdministrationBacklogs(createAdministrationClient(wrongKey), entities),
  );
  expect(await unreadable.check(AbortSignal.timeout(5_000))).toMatch(
    /^'ingest' answers; backlogs unreadable: .*InvalidSignature/,
  );
});
