import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { HTTP } from 'cloudevents';
import type { CloudEventV1 } from 'cloudevents';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, test } from 'vitest';
import { EventGridPublisher } from '../../../infra/events/event-grid-publisher';
import { composeEventGrid, identityClientId } from '../../../infra/events/compose-event-grid';
import { eventTypes } from '../../../shared/events/catalogue';
import { toCloudEvent } from '../../../shared/events/cloud-event';
import type { PipelineCloudEvent } from '../../../shared/events/cloud-event';
import type { Settings } from '../../../shared/settings/load-settings';
import type { ErrorCode } from '../../../shared/error-codes';
import { failure } from '../../../testing/failures';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';
import { useMsw } from '../../../testing/msw';

/**
 * The Event Grid publisher against an msw stand-in for a topic's endpoint, read as Event Grid reads a
 * CloudEvents publish (`POST <endpoint>?api-version=2018-01-01`, a batch in `application/cloudevents-batch+json`,
 * an Entra bearer token) and each event parsed back with the `cloudevents` SDK, as a subscriber would.
 */
const server = useMsw();

const ENDPOINT = 'https://egt-azl.westus2-1.eventgrid.azure.net/api/events';
const AUDIENCE = 'https://eventgrid.azure.net/.default';
const INSTANCE = 'func-azl-test';

/** A fake at the credential port: hands out a token and remembers which audience it was asked for. */
class FakeCredential implements TokenCredential {
  readonly requestedScopes: string[][] = [];
  constructor(private readonly token = 'fake-eventgrid-token') {}
  getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    this.requestedScopes.push(Array.isArray(scopes) ? scopes : [scopes]);
    return Promise.resolve({ token: this.token, expiresOnTimestamp: Date.now() + 3_600_000 });
  }
}

interface Received {
  readonly url: URL;
  readonly contentType: string | null;
  readonly authorization: string | null;
  readonly events: CloudEventV1<unknown>[];
}

/** A topic that accepts every publish (200, as Event Grid answers) and records it. */
function acceptingTopic(): Received[] {
  const received: Received[] = [];
  server.use(
    http.post(ENDPOINT, async ({ request }) => {
      const body = await request.text();
      const headers = Object.fromEntries(request.headers.entries());
      const parsed = HTTP.toEvent({ headers, body });
      received.push({
        url: new URL(request.url),
        contentType: request.headers.get('content-type'),
        authorization: request.headers.get('authorization'),
        events: (Array.isArray(parsed) ? parsed : [parsed]) as CloudEventV1<unknown>[],
      });
      return new HttpResponse(null, { status: 200 });
    }),
  );
  return received;
}

function answering(status: number, code: string): void {
  server.use(
    http.post(ENDPOINT, () =>
      HttpResponse.json({ error: { code, message: `answered ${status}` } }, { status }),
    ),
  );
}

const cloudEvents: PipelineCloudEvent[] = eventTypes.map((type) =>
  toCloudEvent(sampleEvents[type], INSTANCE),
);
const noRetries = { maxRetries: 0 };

/** The PipelineError `promise` rejects with, checked to carry `code`. */
async function rejection(promise: Promise<unknown>, code: ErrorCode) {
  const error = await failure(promise);
  expect(error.code).toBe(code);
  return error;
}

describe('EventGridPublisher', () => {
  test('every catalogue type arrives as the same CloudEvent, in a CloudEvents batch with an Entra token', async () => {
    const received = acceptingTopic();
    const credential = new FakeCredential();
    const publisher = new EventGridPublisher(ENDPOINT, credential, noRetries);

    for (const event of cloudEvents) await publisher.publish(event);

    expect(received).toHaveLength(cloudEvents.length);
    for (const [index, sent] of cloudEvents.entries()) {
      const arrived = received[index]!;
      expect(arrived.url.pathname).toBe('/api/events');
      expect(arrived.url.searchParams.get('api-version')).toMatch(/^\d{4}-\d{2}-\d{2}/);
      expect(arrived.contentType).toMatch(/^application\/cloudevents-batch\+json\b/);
      expect(arrived.authorization).toBe('Bearer fake-eventgrid-token');
      expect(arrived.events).toHaveLength(1);
      const event = arrived.events[0]!;
      expect({
        specversion: event.specversion,
        id: event.id,
        source: event.source,
        type: event.type,
        subject: event.subject,
        datacontenttype: event.datacontenttype,
        dataschema: event.dataschema,
        data: event.data,
      }).toEqual({
        specversion: '1.0',
        id: sent.id,
        source: sent.source,
        type: sent.type,
        subject: sent.subject,
        datacontenttype: 'application/json',
        dataschema: sent.dataschema,
        data: sent.data,
      });
      expect(Date.parse(String(event.time))).toBe(Date.parse(sent.time));
    }
    expect(new Set(received.map((r) => r.events[0]!.type)).size).toBe(eventTypes.length);
    expect(credential.requestedScopes.length).toBeGreaterThan(0);
    for (const scopes of credential.requestedScopes) expect(scopes).toEqual([AUDIENCE]);
  });

  test('a 503 is eventgrid.unavailable and retryable, naming the event and the topic', async () => {
    answering(503, 'ServiceUnavailable');
    const publisher = new EventGridPublisher(ENDPOINT, new FakeCredential(), noRetries);
    const [event] = cloudEvents;

    const error = await rejection(publisher.publish(event!), 'eventgrid.unavailable');

    expect(error.retryable).toBe(true);
    expect(error.context).toMatchObject({
      topicHost: 'egt-azl.westus2-1.eventgrid.azure.net',
      eventId: event!.id,
      eventType: event!.type,
      status: 503,
    });
  });

  test('408 and 429 are eventgrid.unavailable too', async () => {
    const publisher = new EventGridPublisher(ENDPOINT, new FakeCredential(), noRetries);
    for (const status of [408, 429]) {
      answering(status, 'Busy');
      const error = await rejection(publisher.publish(cloudEvents[0]!), 'eventgrid.unavailable');
      expect(error.context['status']).toBe(status);
    }
  });

  test('401 and 403 are eventgrid.unauthorized, retryable: a new role assignment takes minutes to apply', async () => {
    const publisher = new EventGridPublisher(ENDPOINT, new FakeCredential(), noRetries);
    for (const status of [401, 403]) {
      answering(status, 'Unauthorized');
      const error = await rejection(publisher.publish(cloudEvents[0]!), 'eventgrid.unauthorized');
      expect(error.retryable).toBe(true);
      expect(error.context['status']).toBe(status);
    }
  });

  test('another 4xx (400, 404, 413) is eventgrid.rejected, permanent', async () => {
    const publisher = new EventGridPublisher(ENDPOINT, new FakeCredential(), noRetries);
    for (const status of [400, 404, 413]) {
      answering(status, 'BadRequest');
      const error = await rejection(publisher.publish(cloudEvents[0]!), 'eventgrid.rejected');
      expect(error.retryable).toBe(false);
      expect(error.context['status']).toBe(status);
    }
  });

  test('no answer at all (a network error) is eventgrid.unavailable', async () => {
    server.use(http.post(ENDPOINT, () => HttpResponse.error()));
    const publisher = new EventGridPublisher(ENDPOINT, new FakeCredential(), noRetries);

    const error = await rejection(publisher.publish(cloudEvents[0]!), 'eventgrid.unavailable');

    expect(error.retryable).toBe(true);
    expect(error.context['status']).toBeUndefined();
  });

  test('an endpoint that never answers ends the send at its time limit as eventgrid.unavailable', async () => {
    server.use(
      http.post(ENDPOINT, async () => (await delay('infinite'), new HttpResponse(null, { status: 200 }))),
    );
    const publisher = new EventGridPublisher(ENDPOINT, new FakeCredential(), {
      maxRetries: 0,
      timeoutMs: 50,
    });

    const error = await rejection(publisher.publish(cloudEvents[0]!), 'eventgrid.unavailable');

    expect(error.message).toMatch(/AbortError$/);
    expect(error.retryable).toBe(true);
  });

  test('no token from the identity is eventgrid.unavailable, and nothing is sent', async () => {
    const received = acceptingTopic();
    const noToken: TokenCredential = {
      getToken: () =>
        Promise.reject(
          Object.assign(new Error('managed identity endpoint not answering'), {
            name: 'CredentialUnavailableError',
          }),
        ),
    };
    const publisher = new EventGridPublisher(ENDPOINT, noToken, noRetries);

    await rejection(publisher.publish(cloudEvents[0]!), 'eventgrid.unavailable');

    expect(received).toEqual([]);
  });

  test('the SDK retries a 503 before failing, when retries are allowed', async () => {
    let attempts = 0;
    server.use(
      http.post(ENDPOINT, () => {
        attempts += 1;
        return attempts === 1
          ? new HttpResponse(null, { status: 503 })
          : new HttpResponse(null, { status: 200 });
      }),
    );
    const publisher = new EventGridPublisher(ENDPOINT, new FakeCredential(), {
      maxRetries: 1,
      retryDelayMs: 1,
    });

    await publisher.publish(cloudEvents[0]!);

    expect(attempts).toBe(2);
  });
});

describe('composeEventGrid', () => {
  const identity = (clientId?: string) =>
    ({
      webhooks: {
        retryScheduleMs: [],
        disableAfterMs: 0,
        logRetentionMs: 0,
        eventGridTopicEndpoint: ENDPOINT,
      },
      serviceBus: {
        kind: 'identity',
        fullyQualifiedNamespace: 'sb-azl.servicebus.windows.net',
        ...(clientId ? { clientId } : {}),
      },
      storage: {
        kind: 'identity',
        blobUrl: 'https://stazl.blob.core.windows.net',
        tableUrl: 'https://stazl.table.core.windows.net',
        clientId: '22222222-2222-2222-2222-222222222222',
      },
    }) as Pick<Settings, 'webhooks' | 'serviceBus' | 'storage'>;

  test('without AZL_EVENTGRID_TOPIC_ENDPOINT there is no port', () => {
    const settings = identity();
    const { eventGridTopicEndpoint: _none, ...webhooks } = settings.webhooks;
    expect(
      composeEventGrid({ ...settings, webhooks }, { credential: () => new FakeCredential() }),
    ).toBeUndefined();
  });

  test("with it, a port that publishes with the Service Bus connection's user-assigned identity", async () => {
    const received = acceptingTopic();
    const asked: (string | undefined)[] = [];
    const port = composeEventGrid(identity('11111111-1111-1111-1111-111111111111'), {
      credential: (clientId) => (asked.push(clientId), new FakeCredential('composed-token')),
      retry: noRetries,
    });

    await port!.publish(cloudEvents[0]!);

    expect(asked).toEqual(['11111111-1111-1111-1111-111111111111']);
    expect(received[0]?.authorization).toBe('Bearer composed-token');
  });

  test("the storage connection's identity when Service Bus names none; none with connection strings", () => {
    expect(identityClientId(identity())).toBe('22222222-2222-2222-2222-222222222222');
    expect(
      identityClientId({
        serviceBus: { kind: 'connectionString', connectionString: 'Endpoint=sb://localhost/;' },
        storage: { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' },
      }),
    ).toBeUndefined();
  });
});
