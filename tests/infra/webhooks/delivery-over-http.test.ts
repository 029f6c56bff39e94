import { request as httpRequest } from 'node:http';
import { describe, expect, test } from 'vitest';
import type { WebhookDeliveryRequest } from '../../../shared/webhooks/delivery-request';
import { buildDeliveryRequest } from '../../../shared/webhooks/delivery-request';
import { newSecretSet, rotateSecret } from '../../../shared/webhooks/secret-rotation';
import type { WebhookSecretSet } from '../../../shared/webhooks/secret-rotation';
import { randomWebhookSecret } from '../../../infra/webhooks/random-webhook-secret';
import { useStarted } from '../../../testing/lifecycle';
import { sampleCloudEvent } from '../../../testing/webhooks/sample-cloud-event';
import { startVerifyingReceiver } from '../../../testing/webhooks/verifying-receiver';

/**
 * The request through a real HTTP server on loopback, verified there as a receiver verifies it. The sender
 * here is a bare node:http request, a stand-in for the webhook HTTP client (which adds the SSRF checks):
 * what is under test is that the request built survives the wire and verifies.
 */
function send(origin: string, request: WebhookDeliveryRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      `${origin}/hooks`,
      { method: request.method, headers: request.headers },
      (answer) => {
        answer.resume();
        answer.on('end', () => resolve(answer.statusCode ?? 0));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

let deliveriesBuilt = 0;
const oldSecret = randomWebhookSecret();
const newSecret = randomWebhookSecret();

describe('a delivery received by a real HTTP server', () => {
  const oldReceiver = useStarted(
    'the old-secret receiver',
    () => startVerifyingReceiver(oldSecret),
    (r) => r.close(),
  );
  const newReceiver = useStarted(
    'the new-secret receiver',
    () => startVerifyingReceiver(newSecret),
    (r) => r.close(),
  );

  const deliver = (secrets: WebhookSecretSet, event = sampleCloudEvent({ id: `bld_${++deliveriesBuilt}` })) =>
    buildDeliveryRequest({ event, secrets, attemptAt: new Date(), senderVersion: '0.1.0' });

  test('is verified and parsed into the event that was sent', async () => {
    const request = deliver(newSecretSet(newSecret));
    expect(await send(newReceiver().origin, request)).toBe(204);
    const received = newReceiver().accepted.find((d) => d.webhookId === request.headers['webhook-id']);
    const sent = JSON.parse(new TextDecoder().decode(request.body)) as Record<string, unknown>;
    expect(received).toMatchObject({
      webhookTimestamp: request.headers['webhook-timestamp'],
      userAgent: 'azl-rebuilder-webhooks/0.1.0',
      event: { id: sent.id, type: sent.type, source: sent.source, subject: sent.subject, data: sent.data },
    });
  });

  test('during a rotation, a receiver still on the old secret and one on the new both accept it', async () => {
    const rotated = rotateSecret(newSecretSet(oldSecret), newSecret, new Date(Date.now() - 60_000));
    const request = deliver(rotated);
    expect(await send(oldReceiver().origin, request)).toBe(204);
    expect(await send(newReceiver().origin, request)).toBe(204);
  });

  test('a receiver with another secret refuses it', async () => {
    const request = deliver(newSecretSet(newSecret));
    const refusedBefore = oldReceiver().refused.length;
    expect(await send(oldReceiver().origin, request)).toBe(400);
    expect(oldReceiver().refused.slice(refusedBefore)).toEqual(['No matching signature found']);
  });

  test('a body changed on the way is refused', async () => {
    const request = deliver(newSecretSet(newSecret));
    const changed = new TextEncoder().encode(
      new TextDecoder().decode(request.body).replace('kernel', 'kernel2'),
    );
    const refusedBefore = newReceiver().refused.length;
    expect(await send(newReceiver().origin, { ...request, body: changed })).toBe(400);
    expect(newReceiver().refused.slice(refusedBefore)).toEqual(['No matching signature found']);
  });
});
