import { describe, expect, test } from 'vitest';
import { ServiceBusImageBuildQueue } from '../../../infra/image-trigger/service-bus-image-build-queue';
import { quietCheckAfterChange, requestedBuild } from '../../../shared/images/image-trigger';
import { queues } from '../../../shared/messaging/entities';
import { drainSessions, useLocalBroker } from '../../../testing/broker/local-broker';
import { waitFor } from '../../../testing/wait-for';

const broker = useLocalBroker({ entities: [queues.imageBuilds], tickMs: 50 });

describe('the image-builds queue on Service Bus (local broker)', () => {
  test('sends what is due now in its image session, schedules the rest, and drops a repeated id', async () => {
    const queue = new ServiceBusImageBuildQueue(broker.client);
    const now = new Date();
    const asked = requestedBuild('vm-base', now);
    const check = quietCheckAfterChange('vm-base', now, 3_000);
    await queue.send([asked, check]);
    await queue.send([asked]);

    const got = await drainSessions(broker.client, queues.imageBuilds.name);
    expect(got.map((m) => [m.messageId, m.sessionId, m.subject, m.body])).toEqual([
      [asked.messageId, 'vm-base', 'requested', asked.body],
    ]);
    // The check turns up once its time has come (scheduled, not sent at once), and only once.
    const later = await waitFor('the scheduled check', async () => {
      const drained = await drainSessions(broker.client, queues.imageBuilds.name);
      return drained.length > 0 && drained;
    });
    expect(later.map((m) => [m.messageId, m.sessionId, m.subject, m.body])).toEqual([
      [check.messageId, 'vm-base', 'quiet-check', check.body],
    ]);
    await queue.close();
  });
});
