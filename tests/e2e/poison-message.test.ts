import { ServiceBusClient } from '@azure/service-bus';
import { expect, test } from 'vitest';
import { TableStore } from '../../infra/storage';
import { TableMessageFailures } from '../../infra/table-message-failures';
import { queues } from '../../shared/messaging/entities';
import { useStartedPipeline } from '../../testing/pipeline/started-pipeline';

/**
 * A poison message on `builds` in the running local pipeline: the build function refuses it on every
 * delivery, the broker dead-letters it after the queue's max delivery count, and the reason (code, field)
 * is kept under its message id.
 */
const pipeline = useStartedPipeline('azl-poison-');

test('a build message that does not parse ends in the dead-letter queue, with its reason recorded', async () => {
  const client = new ServiceBusClient(pipeline.endpoints.serviceBusConnectionString);
  await client.createSender('builds').sendMessages({
    messageId: 'poison-1',
    sessionId: 'azl-greeter',
    body: { planId: 'p', component: '../../etc', fingerprint: 'nope' },
  });
  const dlq = client.createReceiver('builds', {
    subQueueType: 'deadLetter',
    receiveMode: 'receiveAndDelete',
  });
  let dead;
  for (let i = 0; i < 40 && !dead; i++) [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 500 });
  expect(dead?.messageId).toBe('poison-1');
  expect(dead?.deadLetterReason).toBe('MaxDeliveryCountExceeded');
  // The count of earlier deliveries, as Azure gives it: the last of maxDeliveryCount deliveries saw max - 1, and
  // the dead-letter queue keeps it (see the contract suite).
  expect(dead?.deliveryCount).toBe(queues.builds.maxDeliveryCount - 1);

  const failures = new TableMessageFailures(
    new TableStore({ connectionString: pipeline.endpoints.storageConnectionString }),
  );
  const why = await failures.get('builds', 'poison-1');
  expect(why).toMatchObject({
    code: 'message.invalid',
    retryable: false,
    context: { entity: 'builds', path: 'component' },
  });
  expect(why?.message).toContain('component name');
  await dlq.close();
  await client.close();

  // The status API shows it too.
  const response = await fetch(`${pipeline.endpoints.apiBaseUrl}/failures?entity=builds`, {
    headers: { 'x-functions-key': pipeline.endpoints.functionKey },
  });
  expect(response.status).toBe(200);
  const listed = (await response.json()) as { items: { messageId: string; code: string }[] };
  expect(listed.items).toEqual(
    expect.arrayContaining([expect.objectContaining({ messageId: 'poison-1', code: 'message.invalid' })]),
  );
}, 60_000);
