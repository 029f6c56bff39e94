import { describe, expect, test } from 'vitest';
import { createSafeHttpClient } from '../../../infra/webhooks/safe-http-client';
import { randomWebhookSecret } from '../../../infra/webhooks/random-webhook-secret';
import { toCloudEvent } from '../../../shared/events';
import type { AdaptiveCard } from '../../../shared/webhooks/chat';
import { buildDeliveryRequest } from '../../../shared/webhooks/delivery-request';
import type { StructuredCloudEvent } from '../../../shared/webhooks/delivery-request';
import { newSecretSet } from '../../../shared/webhooks/secret-rotation';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';
import { useStarted } from '../../../testing/lifecycle';
import { useTempDir } from '../../../testing/temp-dirs';
import { receiverPki, startReceiver } from '../../../testing/webhooks/receivers';

// Chat hooks are https URLs on a public name; here the name resolves (through the client's resolver) to a
// loopback receiver whose certificate the test CA signed, so the request goes the way a real one would.
const hookHost = 'hooks.chat.example.test';
const pki = receiverPki(useTempDir('azl-chat-pki-'), [hookHost]);

describe('a chat message sent through the SSRF-safe client', () => {
  const receiver = useStarted(
    'the chat receiver',
    // Slack and Mattermost answer 200 with a short text body.
    () => startReceiver((_request, response) => void response.writeHead(200).end('ok'), pki),
    (started) => started.close(),
  );
  const client = () =>
    createSafeHttpClient({
      policy: { allowLoopback: true },
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      ca: pki.ca,
      timeoutMs: 5_000,
    });

  test.each(['slack', 'teams'] as const)(
    '%s: arrives as JSON, unsigned, with its webhook-id',
    async (format) => {
      const event = toCloudEvent(sampleEvents['repo.published'], 'local');
      const request = buildDeliveryRequest({
        event: event as object as StructuredCloudEvent,
        secrets: newSecretSet(randomWebhookSecret()),
        attemptAt: new Date(),
        senderVersion: '0.1.0',
        format,
        publicUrl: 'https://func-x.azurewebsites.net',
      });
      const path = `/services/T000/B000/${format}`;
      const outcome = await client().post({
        url: `https://${hookHost}:${receiver().port}${path}`,
        headers: request.headers,
        body: request.body,
      });
      expect(outcome).toMatchObject({ kind: 'answered', status: 200, bodyExcerpt: 'ok' });

      const arrived = receiver().received.find((received) => received.path === path);
      expect(arrived?.method).toBe('POST');
      expect(arrived?.servername).toBe(hookHost);
      expect(arrived?.headers).toMatchObject({
        'content-type': 'application/json',
        'user-agent': 'azl-rebuilder-webhooks/0.1.0',
        'webhook-id': event.id,
        'content-length': String(request.body.byteLength),
      });
      expect(arrived?.headers).not.toHaveProperty('webhook-signature');
      expect(arrived?.headers).not.toHaveProperty('webhook-timestamp');

      const body = JSON.parse(arrived?.body ?? 'null') as Record<string, unknown>;
      expect(body).toEqual(JSON.parse(new TextDecoder().decode(request.body)));
      if (format === 'slack') {
        expect(String(body.text).split('\n')[0]).toBe(
          '📦 *azl4-base-x86_64* published revision 7: 1 added, 1 removed',
        );
        return;
      }
      const [attachment] = body.attachments as {
        contentType: string;
        contentUrl: null;
        content: AdaptiveCard;
      }[];
      expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(attachment?.contentUrl).toBeNull();
      expect(attachment?.content.body[0]).toEqual({
        type: 'TextBlock',
        text: '📦 **azl4-base-x86_64** published revision 7: 1 added, 1 removed',
        wrap: true,
      });
      expect(attachment?.content.actions).toEqual([
        {
          type: 'Action.OpenUrl',
          title: 'Open in the status API',
          url: 'https://func-x.azurewebsites.net/api/repos',
        },
      ]);
    },
  );
});
