import { describe, expect, test } from 'vitest';
import { HTTP } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import { toCloudEvent } from '../../../shared/events';
import { chatRequestBody } from '../../../shared/webhooks/chat';
import { buildDeliveryRequest } from '../../../shared/webhooks/delivery-request';
import type { StructuredCloudEvent } from '../../../shared/webhooks/delivery-request';
import { newSecretSet, rotateSecret } from '../../../shared/webhooks/secret-rotation';
import type { WebhookSecret } from '../../../shared/webhooks/webhook-secret';
import { formatWebhookSecret } from '../../../shared/webhooks/webhook-secret';
import { thrownPipelineError } from '../../../testing/failures';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';
import { sampleCloudEvent } from '../../../testing/webhooks/sample-cloud-event';

const secret = (fill: number): WebhookSecret => formatWebhookSecret(new Uint8Array(32).fill(fill));
const [oldSecret, newSecret, strangerSecret] = [secret(1), secret(2), secret(3)];
const minute = 60_000;
const hour = 60 * minute;

/** The request as a receiver gets it: the header values and the body bytes. */
function requestAt(attemptAt: Date, secrets = newSecretSet(newSecret), event = sampleCloudEvent()) {
  return buildDeliveryRequest({ event, secrets, attemptAt, senderVersion: '1.2.3' });
}

/** What `standardwebhooks` answers, as a receiver calls it: the parsed body, or the reason it refused. */
function verifyAs(receiverSecret: WebhookSecret, headers: Record<string, string>, body: Uint8Array): unknown {
  try {
    return new Webhook(receiverSecret).verify(Buffer.from(body), headers);
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

describe('the delivery request (CloudEvents, signed)', () => {
  test('is a POST of the structured CloudEvent with the webhook headers and the user agent', () => {
    const at = new Date();
    const event = sampleCloudEvent();
    const request = requestAt(at, newSecretSet(newSecret), event);
    expect(request.method).toBe('POST');
    expect(request.headers).toEqual({
      'content-type': 'application/cloudevents+json; charset=utf-8',
      'user-agent': 'azl-rebuilder-webhooks/1.2.3',
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
    });
    expect(new TextDecoder().decode(request.body)).toBe(JSON.stringify(event));
  });

  test('the standardwebhooks verifier accepts it and gives back the event', () => {
    const request = requestAt(new Date());
    expect(verifyAs(newSecret, { ...request.headers }, request.body)).toEqual(sampleCloudEvent());
  });

  test('every retry carries the same webhook-id and its own timestamp, and each verifies', () => {
    const now = Date.now();
    const first = requestAt(new Date(now - 4 * minute));
    const retry = requestAt(new Date(now));
    expect(retry.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(retry.headers['webhook-timestamp']).not.toBe(first.headers['webhook-timestamp']);
    expect(retry.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
    for (const request of [first, retry])
      expect(verifyAs(newSecret, { ...request.headers }, request.body)).toEqual(sampleCloudEvent());
  });

  test('during a rotation it verifies with the old secret and with the new one', () => {
    const rotated = rotateSecret(newSecretSet(oldSecret), newSecret, new Date(Date.now() - hour));
    const request = requestAt(new Date(), rotated);
    expect(request.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verifyAs(oldSecret, { ...request.headers }, request.body)).toEqual(sampleCloudEvent());
    expect(verifyAs(newSecret, { ...request.headers }, request.body)).toEqual(sampleCloudEvent());
  });

  test('after the grace period the old secret no longer verifies it', () => {
    const rotated = rotateSecret(newSecretSet(oldSecret), newSecret, new Date(Date.now() - 25 * hour));
    const request = requestAt(new Date(), rotated);
    expect(verifyAs(newSecret, { ...request.headers }, request.body)).toEqual(sampleCloudEvent());
    expect(verifyAs(oldSecret, { ...request.headers }, request.body)).toEqual({
      refused: 'No matching signature found',
    });
  });

  test('a receiver refuses a tampered body, a tampered id and a wrong secret', () => {
    const request = requestAt(new Date());
    const tampered = Buffer.from(request.body);
    tampered[tampered.indexOf('kernel')] = 'K'.charCodeAt(0);
    expect(verifyAs(newSecret, { ...request.headers }, tampered)).toEqual({
      refused: 'No matching signature found',
    });
    expect(verifyAs(newSecret, { ...request.headers, 'webhook-id': 'bld_other' }, request.body)).toEqual({
      refused: 'No matching signature found',
    });
    expect(verifyAs(strangerSecret, { ...request.headers }, request.body)).toEqual({
      refused: 'No matching signature found',
    });
  });

  test("a receiver refuses an attempt whose timestamp is outside its tolerance (the library's 5 minutes)", () => {
    const tooOld = requestAt(new Date(Date.now() - 6 * minute));
    const tooNew = requestAt(new Date(Date.now() + 6 * minute));
    expect(verifyAs(newSecret, { ...tooOld.headers }, tooOld.body)).toEqual({
      refused: 'Message timestamp too old',
    });
    expect(verifyAs(newSecret, { ...tooNew.headers }, tooNew.body)).toEqual({
      refused: 'Message timestamp too new',
    });
  });

  test('the cloudevents SDK reads the headers and body as the event, attributes and data intact', () => {
    const request = requestAt(new Date());
    const event = HTTP.toEvent({
      headers: { ...request.headers },
      body: Buffer.from(request.body).toString('utf8'),
    });
    expect(Array.isArray(event)).toBe(false);
    const expected = sampleCloudEvent();
    expect(event).toMatchObject({
      specversion: '1.0',
      id: expected.id,
      source: expected.source,
      type: expected.type,
      subject: expected.subject,
      time: expected.time,
      datacontenttype: 'application/json',
      data: expected.data,
    });
  });

  test.each([
    ['an empty id', ''],
    ['an id with a full stop', 'build.succeeded-1'],
    ['an id with a space', 'bld 1'],
    ['an id that is not ASCII', 'bld_é'],
    ['an id that is not a string', 42],
  ])('refuses an event with %s', (_case, id) => {
    const event = sampleCloudEvent({ id: id as string });
    thrownPipelineError(() => requestAt(new Date(), newSecretSet(newSecret), event), 'webhook.invalid-event');
  });
});

describe('the delivery request (chat formats)', () => {
  const failed = toCloudEvent(sampleEvents['build.failed'], 'local');
  const chatRequest = (format: 'slack' | 'teams', publicUrl?: string, event: object = failed) =>
    buildDeliveryRequest({
      event: event as StructuredCloudEvent,
      secrets: newSecretSet(newSecret),
      attemptAt: new Date(),
      senderVersion: '1.2.3',
      format,
      ...(publicUrl === undefined ? {} : { publicUrl }),
    });

  test.each(['slack', 'teams'] as const)(
    '%s: JSON with the user agent and webhook-id, and no signature or timestamp',
    (format) => {
      const request = chatRequest(format);
      expect(request.method).toBe('POST');
      expect(request.headers).toEqual({
        'content-type': 'application/json',
        'user-agent': 'azl-rebuilder-webhooks/1.2.3',
        'webhook-id': failed.id,
      });
      expect(request.body).toEqual(chatRequestBody(format, failed));
    },
  );

  test('the body is the chat message, not the CloudEvent, and links under the public URL', () => {
    const slack = JSON.parse(
      new TextDecoder().decode(chatRequest('slack', 'https://func-x.azurewebsites.net').body),
    ) as { text: string };
    expect(slack).not.toHaveProperty('specversion');
    expect(slack.text).toContain('❌ Build of *zlib-ng* failed');
    expect(slack.text).toContain('<https://func-x.azurewebsites.net/api/builds/zlib-ng%403f2a9c01d4e5b6a7|');
    const teams = new TextDecoder().decode(chatRequest('teams', 'https://func-x.azurewebsites.net').body);
    expect(teams).toContain('"url":"https://func-x.azurewebsites.net/api/builds/zlib-ng%403f2a9c01d4e5b6a7"');
  });

  test('every retry sends the same bytes and webhook-id', () => {
    const first = chatRequest('teams');
    const retry = chatRequest('teams');
    expect(retry.headers).toEqual(first.headers);
    expect(retry.body).toEqual(first.body);
  });

  test.each(['slack', 'teams'] as const)(
    '%s: an event whose id cannot be a webhook-id is refused',
    (format) => {
      thrownPipelineError(
        () => chatRequest(format, undefined, { ...failed, id: 'build.failed-1' }),
        'webhook.invalid-event',
      );
    },
  );

  test('format cloudevents, given or not, is the signed CloudEvent', () => {
    const at = new Date();
    const event = sampleCloudEvent();
    const secrets = newSecretSet(newSecret);
    const given = buildDeliveryRequest({
      event,
      secrets,
      attemptAt: at,
      senderVersion: '1.2.3',
      format: 'cloudevents',
    });
    expect(given).toEqual(requestAt(at, secrets, event));
    expect(given.headers['webhook-signature']).toMatch(/^v1,/);
  });
});
