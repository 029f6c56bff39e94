import { describe, expect, it } from 'vitest';
import { toCloudEvent } from '../../../shared/events';
import type { PipelineEvent } from '../../../shared/events';
import type { DeliveryMessage } from '../../../shared/webhooks/delivery';
import { deliveryIdOf } from '../../../shared/webhooks/delivery';
import type { AttemptOutcome } from '../../../shared/webhooks/delivery-attempt';
import { newSecretSet } from '../../../shared/webhooks/secret-rotation';
import type { WebhookSubscription } from '../../../shared/webhooks/subscription';
import type { WebhookSecret } from '../../../shared/webhooks/webhook-secret';
import { WebhookDelivery } from '../../../shared/webhooks/webhook-delivery';
import {
  answered,
  MemoryDeliveryLog,
  RecordingDeliveryQueue,
  ScriptedPoster,
} from '../../../testing/fakes/delivery-ports';
import { MemorySubscriptionStore } from '../../../testing/fakes/subscription-store';
import { recordingTelemetry } from '../../../testing/fakes/telemetry';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';
import { PipelineError } from '../../../shared/errors';
import { silentLogger } from '../../../shared/logger';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}` as WebhookSecret;
const schedule = [5_000, 300_000, 1_800_000];

function endpoint(id: string, overrides: Partial<WebhookSubscription> = {}): WebhookSubscription {
  return {
    id,
    url: `https://${id}.example.com/hooks`,
    events: ['*'],
    filters: {},
    description: '',
    enabled: true,
    format: 'cloudevents',
    secrets: newSecretSet(SECRET),
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    ...overrides,
  };
}

function setup(script: (url: string, index: number) => AttemptOutcome, disableAfterMs = 86_400_000) {
  const subscriptions = new MemorySubscriptionStore();
  const log = new MemoryDeliveryLog();
  const queue = new RecordingDeliveryQueue();
  const published: PipelineEvent[] = [];
  const telemetry = recordingTelemetry();
  let clock = Date.parse('2026-12-06T10:00:00.000Z');
  const poster = new ScriptedPoster((post, index) => script(post.url, index));
  const delivery = new WebhookDelivery({
    subscriptions,
    poster,
    log,
    queue,
    events: { publish: (events) => Promise.resolve(void published.push(...events)) },
    telemetry: telemetry.telemetry,
    logger: silentLogger,
    now: () => new Date(clock),
    random: () => 0,
    retryScheduleMs: schedule,
    disableAfterMs,
    logRetentionMs: 30 * 86_400_000,
    senderVersion: '1.0.0',
    instanceName: 'test',
    publicUrl: 'https://func-azl.example.net',
  });
  /** Delivers every queued message, moving the clock to each scheduled one; returns how many were handled. */
  const run = async (): Promise<number> => {
    let handled = 0;
    for (;;) {
      const now = queue.sent.shift();
      if (now) {
        await delivery.deliver(now);
        handled += 1;
        continue;
      }
      // The earliest scheduled message next, as the queue makes them visible.
      queue.scheduled.sort((a, b) => a.at.getTime() - b.at.getTime());
      const next = queue.scheduled.shift();
      if (!next) return handled;
      clock = Math.max(clock, next.at.getTime());
      await delivery.deliver(next.message);
      handled += 1;
    }
  };
  return {
    subscriptions,
    log,
    queue,
    poster,
    published,
    telemetry,
    delivery,
    run,
    advance: (ms: number) => (clock += ms),
  };
}

const failed = toCloudEvent(sampleEvents['build.failed'], 'test');
const published = toCloudEvent(sampleEvents['repo.published'], 'test');

describe('WebhookDelivery.fanOut', () => {
  it('sends one message per enabled endpoint the event matches, with a delivery id stable per event and endpoint', async () => {
    const t = setup(() => answered(204));
    await t.subscriptions.insert(endpoint('ep_all'));
    await t.subscriptions.insert(endpoint('ep_zlib', { filters: { components: ['zlib-ng'] } }));
    await t.subscriptions.insert(endpoint('ep_other', { filters: { components: ['kernel'] } }));
    await t.subscriptions.insert(endpoint('ep_off', { enabled: false }));
    await t.subscriptions.insert(endpoint('ep_repos', { events: ['repo.published'] }));

    expect(await t.delivery.fanOut(failed)).toBe(2);
    await t.delivery.fanOut(failed);
    expect(t.queue.sent.map((message) => [message.endpointId, message.deliveryId, message.attempt])).toEqual([
      ['ep_all', deliveryIdOf(failed.id, 'ep_all'), 1],
      ['ep_zlib', deliveryIdOf(failed.id, 'ep_zlib'), 1],
    ]);
    expect(t.queue.sent[0]?.event).toEqual(failed);
  });
});

describe('WebhookDelivery.deliver', () => {
  it('POSTs the signed CloudEvent, logs the attempt and marks the delivery delivered', async () => {
    const t = setup(() => answered(204, {}, 'thanks'));
    await t.subscriptions.insert(endpoint('ep_a'));
    await t.delivery.fanOut(failed);
    await t.run();

    expect(t.poster.posts).toHaveLength(1);
    const post = t.poster.posts[0];
    expect(post?.url).toBe('https://ep_a.example.com/hooks');
    expect(post?.headers['webhook-id']).toBe(failed.id);
    expect(post?.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(Buffer.from(post?.body ?? '').toString('utf8'))).toEqual(failed);
    const delivery = await t.log.getDelivery('ep_a', deliveryIdOf(failed.id, 'ep_a'));
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, round: 1, eventType: 'build.failed' });
    expect(t.log.attemptsOf('ep_a')).toMatchObject([
      { result: 'delivered', status: 204, response: 'thanks', attempt: 1, eventId: failed.id },
    ]);
    expect(t.telemetry.metrics.filter((m) => m.name === 'azl.webhook.attempts')).toMatchObject([
      { value: 1, dimensions: { result: 'delivered', format: 'cloudevents' } },
    ]);
  });

  it('sends a chat endpoint its format, unsigned, with a link to the status API under the public URL', async () => {
    const t = setup(() => answered(200));
    await t.subscriptions.insert(endpoint('ep_slack', { format: 'slack' }));
    await t.delivery.fanOut(failed);
    await t.run();
    const post = t.poster.posts[0];
    expect(post?.headers['content-type']).toBe('application/json');
    expect(post?.headers['webhook-signature']).toBeUndefined();
    const body = JSON.parse(Buffer.from(post?.body ?? '').toString('utf8')) as {
      text: string;
      blocks: unknown[];
    };
    expect(body.text).toContain('zlib-ng');
    expect(JSON.stringify(body.blocks)).toContain('https://func-azl.example.net/api/builds/');
    expect(t.telemetry.metrics.find((m) => m.name === 'azl.webhook.attempts')?.dimensions).toEqual({
      result: 'delivered',
      format: 'slack',
    });
  });

  it('retries on the schedule with the same webhook-id until the endpoint recovers; the failing period ends', async () => {
    const t = setup((_url, index) => (index < 3 ? answered(500) : answered(200)));
    await t.subscriptions.insert(endpoint('ep_flaky'));
    await t.delivery.fanOut(published);
    await t.run();

    expect(t.poster.posts.map((post) => post.headers['webhook-id'])).toEqual(Array(4).fill(published.id));
    const attempts = t.log.attemptsOf('ep_flaky');
    expect(attempts.map((attempt) => [attempt.attempt, attempt.result, attempt.status])).toEqual([
      [1, 'retrying', 500],
      [2, 'retrying', 500],
      [3, 'retrying', 500],
      [4, 'delivered', 200],
    ]);
    const gaps = attempts
      .slice(1)
      .map((attempt, i) => Date.parse(attempt.at) - Date.parse(attempts[i]?.at ?? ''));
    expect(gaps).toEqual(schedule);
    expect((await t.subscriptions.get('ep_flaky'))?.failingSince).toBeUndefined();
    expect(await t.log.getDelivery('ep_flaky', deliveryIdOf(published.id, 'ep_flaky'))).toMatchObject({
      status: 'delivered',
      attempts: 4,
    });
  });

  it('gives up when the schedule is used up, and keeps the endpoint failing', async () => {
    const t = setup(() => answered(500));
    await t.subscriptions.insert(endpoint('ep_down'));
    await t.delivery.fanOut(published);
    await t.run();

    expect(t.poster.posts).toHaveLength(schedule.length + 1);
    expect(await t.log.getDelivery('ep_down', deliveryIdOf(published.id, 'ep_down'))).toMatchObject({
      status: 'failed',
      attempts: 4,
      detail: 'answered 500; no attempts left after 4',
    });
    expect((await t.subscriptions.get('ep_down'))?.failingSince).toBe('2026-12-06T10:00:00.000Z');
  });

  it('disables an endpoint that answers 410 and emits webhook.endpoint-disabled once; later attempts are skipped', async () => {
    const t = setup(() => answered(410));
    await t.subscriptions.insert(endpoint('ep_gone'));
    await t.delivery.fanOut(failed);
    await t.delivery.fanOut(published);
    await t.run();

    expect(t.poster.posts).toHaveLength(1);
    const stored = await t.subscriptions.get('ep_gone');
    expect(stored).toMatchObject({ enabled: false, disabled: { reason: 'gone' } });
    expect(t.published.map((event) => [event.type, event.subject, event.data])).toEqual([
      [
        'webhook.endpoint-disabled',
        'ep_gone',
        { endpointId: 'ep_gone', reason: 'gone', detail: 'the endpoint answered 410 Gone' },
      ],
    ]);
    expect(await t.log.getDelivery('ep_gone', deliveryIdOf(published.id, 'ep_gone'))).toMatchObject({
      status: 'skipped',
      detail: 'the endpoint is disabled',
    });
    expect(t.telemetry.events.map((event) => event.name)).toEqual(['WebhookEndpointDisabled']);
  });

  it('disables an endpoint whose attempts have all failed for longer than the disable period', async () => {
    const t = setup(() => answered(503), 60 * 60_000);
    await t.subscriptions.insert(endpoint('ep_dead'));
    await t.delivery.fanOut(failed);
    await t.run(); // 10:00 first failure ... gives up at 10:35
    t.advance(2 * 60 * 60_000);
    await t.delivery.fanOut(published);
    await t.run();

    const stored = await t.subscriptions.get('ep_dead');
    expect(stored).toMatchObject({ enabled: false, disabled: { reason: 'failing' } });
    expect(t.published[0]?.data).toMatchObject({
      reason: 'failing',
      failingSince: '2026-12-06T10:00:00.000Z',
    });
    expect(t.log.attemptsOf('ep_dead').at(-1)).toMatchObject({ result: 'endpoint-disabled', status: 503 });
  });
});

describe('WebhookDelivery: a failing endpoint cools down', () => {
  it('makes one attempt per cool-down instead of one per event, and delivers every event once it recovers', async () => {
    let up = false;
    const timeout: AttemptOutcome = {
      kind: 'failed',
      error: PipelineError.transient('webhook.timeout', 'no answer within 15 s'),
      latencyMs: 15_000,
    };
    const t = setup((url) => (up || url.includes('ep_ok') ? answered(204) : timeout));
    await t.subscriptions.insert(endpoint('ep_hang'));
    await t.subscriptions.insert(endpoint('ep_ok'));
    const events = (
      ['build.started', 'build.succeeded', 'build.failed', 'repo.published', 'plan.created'] as const
    ).map((type) => toCloudEvent(sampleEvents[type], 'test'));
    for (const event of events) await t.delivery.fanOut(event);
    // Deliver what is due now: the healthy endpoint gets all five; the hanging one is tried once.
    for (const message of t.queue.sent.splice(0)) await t.delivery.deliver(message);
    const hangPosts = () => t.poster.posts.filter((post) => post.url.includes('ep_hang')).length;
    expect(t.poster.posts.filter((post) => post.url.includes('ep_ok'))).toHaveLength(5);
    expect(hangPosts()).toBe(1);
    const stored = await t.subscriptions.get('ep_hang');
    expect(stored?.probeAfter).toBe('2026-12-06T10:00:05.000Z');
    // The four others wait for the cool-down, as new messages; their deliveries say why.
    expect(t.queue.scheduled.map((entry) => entry.message.deferral)).toEqual([undefined, 1, 1, 1, 1]);
    const waiting = await t.log.getDelivery('ep_hang', deliveryIdOf(events[1]!.id, 'ep_hang'));
    expect(waiting).toMatchObject({ status: 'retrying', attempts: 0 });
    expect(waiting?.detail).toContain("waiting for the endpoint's cool-down");

    up = true;
    await t.run();
    expect(hangPosts()).toBe(1 + 5); // the first retry, then each waiting event once
    const ids = t.poster.posts
      .filter((post) => post.url.includes('ep_hang'))
      .map((post) => post.headers['webhook-id']);
    expect(new Set(ids.slice(1))).toEqual(new Set(events.map((event) => event.id)));
    expect(await t.subscriptions.get('ep_hang')).not.toHaveProperty('probeAfter');
  });

  it('cools a failing endpoint down as long as it has been failing, at least its retry wait, at most 5 minutes', async () => {
    const t = setup(() => answered(500));
    const probeAfterFailingSince = async (id: string, failingSince: string) => {
      await t.subscriptions.insert(endpoint(id, { failingSince }));
      await t.delivery.fanOut(failed);
      await t.delivery.deliver(t.queue.sent.find((m) => m.endpointId === id) as DeliveryMessage);
      return (await t.subscriptions.get(id))?.probeAfter;
    };
    expect(await probeAfterFailingSince('ep_new', '2026-12-06T10:00:00.000Z')).toBe(
      '2026-12-06T10:00:05.000Z',
    );
    expect(await probeAfterFailingSince('ep_40s', '2026-12-06T09:59:20.000Z')).toBe(
      '2026-12-06T10:00:40.000Z',
    );
    expect(await probeAfterFailingSince('ep_2h', '2026-12-06T08:00:00.000Z')).toBe(
      '2026-12-06T10:05:00.000Z',
    );
  });

  it('makes a ping, redelivery or recovery at once, even while the endpoint cools down', async () => {
    const t = setup((_url, index) => (index === 0 ? answered(503) : answered(200)));
    await t.subscriptions.insert(endpoint('ep_a'));
    await t.delivery.fanOut(failed);
    await t.delivery.deliver(t.queue.sent.shift() as DeliveryMessage);
    expect((await t.subscriptions.get('ep_a'))?.probeAfter).toBeDefined();
    await t.delivery.ping('ep_a');
    const ping = await t.delivery.deliver(t.queue.sent.shift() as DeliveryMessage);
    expect(ping).toEqual({ kind: 'attempted', result: 'delivered' });
  });
});

describe('WebhookDelivery: ping, redeliver, recover and the log', () => {
  it('pings one endpoint with a webhook.ping, and refuses a disabled endpoint (409) or an unknown one (404)', async () => {
    const t = setup(() => answered(200));
    await t.subscriptions.insert(endpoint('ep_a', { events: ['build.failed'] }));
    await t.subscriptions.insert(endpoint('ep_off', { enabled: false }));
    const ping = await t.delivery.ping('ep_a');
    await t.run();
    expect(t.poster.posts).toHaveLength(1);
    const body = JSON.parse(Buffer.from(t.poster.posts[0]?.body ?? '').toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({
      id: ping.eventId,
      type: 'com.azurelinux.rebuilder.webhook.ping',
      subject: 'ep_a',
      data: { endpointId: 'ep_a' },
    });
    await expect(t.delivery.ping('ep_off')).rejects.toMatchObject({ code: 'webhook.endpoint-disabled' });
    await expect(t.delivery.ping('ep_none')).rejects.toMatchObject({ code: 'webhook.unknown-subscription' });
  });

  it('redelivers a logged delivery as a new round with the same webhook-id; a retry of the old round is dropped', async () => {
    const t = setup((_url, index) => (index === 0 ? answered(500) : answered(200)));
    await t.subscriptions.insert(endpoint('ep_a'));
    await t.delivery.fanOut(failed);
    const first = t.queue.sent.shift() as DeliveryMessage;
    await t.delivery.deliver(first); // fails; attempt 2 is scheduled
    const deliveryId = deliveryIdOf(failed.id, 'ep_a');
    expect(await t.delivery.redeliver('ep_a', deliveryId)).toEqual({ deliveryId, round: 2 });
    await t.run(); // round 2 first (sent now), then round 1's scheduled retry

    expect(t.poster.posts.map((post) => post.headers['webhook-id'])).toEqual([failed.id, failed.id]);
    expect(await t.log.getDelivery('ep_a', deliveryId)).toMatchObject({
      status: 'delivered',
      round: 2,
      attempts: 2,
    });
    await expect(t.delivery.redeliver('ep_a', 'dlv_none')).rejects.toMatchObject({
      code: 'webhook.unknown-delivery',
    });
  });

  it('recovers what failed since a time, and nothing delivered or older', async () => {
    let down = true;
    const t = setup(() => (down ? answered(500) : answered(200)));
    await t.subscriptions.insert(endpoint('ep_a'));
    await t.delivery.fanOut(failed);
    await t.run(); // given up at 10:35
    t.advance(60 * 60_000);
    const since = new Date('2026-12-06T11:00:00.000Z');
    await t.delivery.fanOut(published);
    await t.run(); // given up too, after 11:35
    down = false;
    t.advance(60_000);
    const recovered = await t.delivery.recover('ep_a', since);
    expect(recovered).toEqual({ redelivered: 1, deliveryIds: [deliveryIdOf(published.id, 'ep_a')] });
    await t.run();
    expect(t.poster.posts.at(-1)?.headers['webhook-id']).toBe(published.id);
    expect(t.log.attemptsOf('ep_a').at(-1)).toMatchObject({
      trigger: 'recover',
      round: 2,
      result: 'delivered',
    });
  });

  it('pages the log newest first and sweeps rows older than the retention', async () => {
    const t = setup(() => answered(200));
    await t.subscriptions.insert(endpoint('ep_a'));
    for (const event of [failed, published]) {
      await t.delivery.fanOut(event);
      await t.run();
      t.advance(1_000);
    }
    const first = await t.delivery.attempts('ep_a', { limit: 1 });
    expect(first.attempts.map((attempt) => attempt.eventId)).toEqual([published.id]);
    const second = await t.delivery.attempts('ep_a', {
      limit: 1,
      continuationToken: first.continuationToken ?? '',
    });
    expect(second.attempts.map((attempt) => attempt.eventId)).toEqual([failed.id]);
    expect(second.continuationToken).toBeUndefined();
    await expect(t.delivery.attempts('ep_none', {})).rejects.toBeInstanceOf(PipelineError);

    t.advance(31 * 86_400_000);
    expect(await t.delivery.sweepLog()).toBe(4);
    expect((await t.delivery.attempts('ep_a', {})).attempts).toEqual([]);
  });
});
