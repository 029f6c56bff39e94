import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import { describe, expect, test } from 'vitest';
import { webhookFunctions } from '../../functions/webhooks';
import { createHttpRouter } from '../../hosts/local/functions-host/http-router';
import { toCloudEvent } from '../../shared/events';
import { deliveryIdOf } from '../../shared/webhooks/delivery';
import { strictDestinationPolicy } from '../../shared/webhooks/destination-policy';
import { fakeServices } from '../../testing/fakes/services';
import { sampleEvents } from '../../testing/fixtures/pipeline-events';
import { webhooksOnFakes } from '../../testing/webhooks/webhooks-on-fakes';

type Json = HttpResponseInit & { jsonBody: Record<string, unknown> };

/** The webhook API over fakes, routed as the local host routes it; the poster always fails with 500. */
function api() {
  // A fixed clock: every attempt fails at the same instant, so no endpoint cool-down defers the next one.
  const at = new Date('2026-12-06T10:00:00.000Z');
  const { queue, delivery, log, subscriptions } = webhooksOnFakes({
    policy: strictDestinationPolicy,
    now: () => at,
  });
  const router = createHttpRouter(
    webhookFunctions(() =>
      Promise.resolve(fakeServices({ webhooks: subscriptions, webhookDelivery: delivery })),
    ),
  );
  const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const [route = '', query = ''] = path.split('?');
    const found = router.resolve(method, route);
    if (found.kind !== 'found') throw new Error(`${method} ${path}: ${found.kind}`);
    const request = new HttpRequest({
      method,
      url: `http://localhost/api/${route}${query ? `?${query}` : ''}`,
      params: found.params,
      ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
    });
    const context = new InvocationContext({
      invocationId: 'i',
      functionName: found.fn.name,
      logHandler: () => undefined,
    });
    return (await found.fn.handler(request, context)) as Json;
  };
  return { call, queue, delivery, log };
}

describe('webhook delivery API', () => {
  test('ping answers 202 and queues a webhook.ping for that endpoint only', async () => {
    const { call, queue } = api();
    await call('POST', 'webhooks', { url: 'https://a.example.com/h', events: ['build.failed'] });
    await call('POST', 'webhooks', { url: 'https://b.example.com/h', events: ['*'] });
    const ping = await call('POST', 'webhooks/ep_001/ping');
    expect(ping.status).toBe(202);
    expect(ping.jsonBody).toMatchObject({ endpointId: 'ep_001' });
    expect(queue.sent.map((message) => [message.endpointId, message.event.type, message.trigger])).toEqual([
      ['ep_001', 'com.azurelinux.rebuilder.webhook.ping', 'ping'],
    ]);
    expect((await call('POST', 'webhooks/ep_999/ping')).status).toBe(404);
  });

  test('a disabled endpoint answers 409 to ping, redeliver and recover', async () => {
    const { call } = api();
    await call('POST', 'webhooks', { url: 'https://a.example.com/h', events: ['*'], enabled: false });
    for (const path of [
      'webhooks/ep_001/ping',
      'webhooks/ep_001/deliveries/dlv_x/redeliver',
      'webhooks/ep_001/recover?since=2026-12-01T00:00:00Z',
    ]) {
      const answer = await call('POST', path);
      expect([path, answer.status, answer.jsonBody['code']]).toEqual([
        path,
        409,
        'webhook.endpoint-disabled',
      ]);
    }
  });

  test('deliveries pages the log; redeliver and recover send failed deliveries again', async () => {
    const { call, queue, delivery } = api();
    await call('POST', 'webhooks', { url: 'https://a.example.com/h', events: ['*'] });
    for (const event of [sampleEvents['build.failed'], sampleEvents['repo.published']]) {
      await delivery.fanOut(toCloudEvent(event, 'test'));
      for (const message of queue.drain()) await delivery.deliver(message);
    }
    const first = await call('GET', 'webhooks/ep_001/deliveries?limit=1');
    expect(first.status).toBe(200);
    expect((first.jsonBody['attempts'] as unknown[]).length).toBe(1);
    const token = first.jsonBody['continuationToken'] as string;
    const second = await call('GET', `webhooks/ep_001/deliveries?limit=1&continuationToken=${token}`);
    expect(second.jsonBody).toMatchObject({ attempts: [{ result: 'failed', status: 500 }] });

    const deliveryId = deliveryIdOf(sampleEvents['build.failed'].id, 'ep_001');
    const again = await call('POST', `webhooks/ep_001/deliveries/${deliveryId}/redeliver`);
    expect([again.status, again.jsonBody]).toEqual([202, { deliveryId, round: 2 }]);
    expect((await call('POST', 'webhooks/ep_001/deliveries/dlv_none/redeliver')).status).toBe(404);

    const recovered = await call('POST', 'webhooks/ep_001/recover?since=2000-01-01T00:00:00Z');
    expect(recovered.status).toBe(202);
    expect(recovered.jsonBody['redelivered']).toBe(1); // the other one is pending again, not failed
    expect(queue.sent.map((message) => [message.round, message.trigger])).toEqual([
      [2, 'redeliver'],
      [2, 'recover'],
    ]);
  });

  test('a bad limit or since is a 400 naming the parameter', async () => {
    const { call } = api();
    await call('POST', 'webhooks', { url: 'https://a.example.com/h', events: ['*'] });
    for (const [path, field] of [
      ['webhooks/ep_001/deliveries?limit=0', 'limit'],
      ['webhooks/ep_001/deliveries?limit=abc', 'limit'],
      ['webhooks/ep_001/deliveries?limit=201', 'limit'],
    ] as const) {
      const answer = await call('GET', path);
      expect([answer.status, answer.jsonBody['code'], String(answer.jsonBody['message'])]).toEqual([
        400,
        'webhook.invalid-request',
        expect.stringContaining(field),
      ]);
    }
    for (const path of ['webhooks/ep_001/recover', 'webhooks/ep_001/recover?since=yesterday']) {
      const answer = await call('POST', path);
      expect([answer.status, answer.jsonBody['code']]).toEqual([400, 'webhook.invalid-request']);
    }
  });
});
