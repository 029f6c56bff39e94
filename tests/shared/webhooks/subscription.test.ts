import { describe, expect, test } from 'vitest';
import type { PipelineEvent } from '../../../shared/events';
import { PipelineError } from '../../../shared/errors';
import { strictDestinationPolicy } from '../../../shared/webhooks/destination-policy';
import type { WebhookSubscription } from '../../../shared/webhooks/subscription';
import {
  createSubscriptionSchema,
  matches,
  parseSubscriptionRequest,
  patchSubscriptionSchema,
} from '../../../shared/webhooks/subscription';
import { WebhookSubscriptions } from '../../../shared/webhooks/subscriptions';
import type { WebhookSecret } from '../../../shared/webhooks/webhook-secret';
import { generateWebhookSecret } from '../../../shared/webhooks/webhook-secret';
import { MemorySubscriptionStore } from '../../../testing/fakes/subscription-store';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';

const url = 'https://ci.example.com/hooks/azl';

/** The PipelineError `fn` throws, whatever its code. */
function refusal(fn: () => unknown): PipelineError {
  try {
    fn();
  } catch (error) {
    if (PipelineError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a PipelineError');
}

const create = (body: unknown) =>
  refusal(() => parseSubscriptionRequest(createSubscriptionSchema, body, strictDestinationPolicy));

describe('subscription requests', () => {
  test('a valid request parses, with the URL normalised and repeated types kept once', () => {
    const parsed = parseSubscriptionRequest(
      createSubscriptionSchema,
      { url: 'HTTPS://CI.example.com/hooks/azl', events: ['build.failed', 'build.failed', '*'] },
      strictDestinationPolicy,
    );
    expect(parsed).toEqual({ url, events: ['build.failed', '*'] });
  });

  test.each([
    [{ url: 'not a url', events: ['*'] }, 'url', 'webhook.destination-refused'],
    [{ url: 'http://ci.example.com/', events: ['*'] }, 'url', 'webhook.destination-refused'],
    [{ url: 'https://10.0.0.7/hook', events: ['*'] }, 'url', 'webhook.destination-refused'],
    [{ url: 'https://169.254.169.254/latest', events: ['*'] }, 'url', 'webhook.destination-refused'],
    [{ url, events: ['build.exploded'] }, 'events.0', 'webhook.invalid-subscription'],
    [{ url, events: [] }, 'events', 'webhook.invalid-subscription'],
    [{ url }, 'events', 'webhook.invalid-subscription'],
    [{ url, events: ['*'], description: 'd'.repeat(501) }, 'description', 'webhook.invalid-subscription'],
    [
      { url, events: ['*'], filters: { components: Array.from({ length: 101 }, (_, i) => `c${i}`) } },
      'filters.components',
      'webhook.invalid-subscription',
    ],
    [
      { url, events: ['*'], filters: { repositories: ['base/x86_64', 'r'.repeat(201)] } },
      'filters.repositories.1',
      'webhook.invalid-subscription',
    ],
    [{ url, events: ['*'], format: 'discord' }, 'format', 'webhook.invalid-subscription'],
    [{ url, events: ['*'], format: 'Slack' }, 'format', 'webhook.invalid-subscription'],
    [{ url, events: ['*'], filter: { components: ['x'] } }, 'filter', 'webhook.invalid-subscription'],
    [[], 'body', 'webhook.invalid-subscription'],
  ] as const)('%j is refused naming %s', (body, field, code) => {
    const error = create(body);
    expect(error.code).toBe(code);
    expect(error.context.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  test('an unknown event type is named in the message', () => {
    expect(create({ url, events: ['build.exploded'] }).message).toMatch(
      /unknown event type "build\.exploded"/,
    );
  });

  test('the exact limits pass: 500 characters of description, 100 filter entries of 200 characters', () => {
    const filters = { components: Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(200, 'x')) };
    const parsed = parseSubscriptionRequest(
      createSubscriptionSchema,
      { url, events: ['*'], description: 'd'.repeat(500), filters },
      strictDestinationPolicy,
    );
    expect(parsed.filters?.components).toHaveLength(100);
  });

  test('loopback http passes only with allowLoopback', () => {
    const body = { url: 'http://127.0.0.1:9000/hook', events: ['*'] };
    expect(create(body).context.field).toBe('url');
    expect(parseSubscriptionRequest(createSubscriptionSchema, body, { allowLoopback: true }).url).toBe(
      'http://127.0.0.1:9000/hook',
    );
  });

  test.each(['cloudevents', 'slack', 'teams'] as const)(
    'format %s is accepted on creation and in a patch',
    (format) => {
      expect(
        parseSubscriptionRequest(
          createSubscriptionSchema,
          { url, events: ['*'], format },
          strictDestinationPolicy,
        ),
      ).toEqual({ url, events: ['*'], format });
      expect(parseSubscriptionRequest(patchSubscriptionSchema, { format }, strictDestinationPolicy)).toEqual({
        format,
      });
    },
  );

  test('a patch naming an unknown format is refused naming format', () => {
    const error = refusal(() =>
      parseSubscriptionRequest(patchSubscriptionSchema, { format: 'discord' }, strictDestinationPolicy),
    );
    expect(error.code).toBe('webhook.invalid-subscription');
    expect(error.context.field).toBe('format');
    expect(error.message).toBe('format: must be one of cloudevents, slack, teams');
  });

  test('a patch may leave out every field, but not give an unknown one', () => {
    expect(parseSubscriptionRequest(patchSubscriptionSchema, {}, strictDestinationPolicy)).toEqual({});
    const error = refusal(() =>
      parseSubscriptionRequest(patchSubscriptionSchema, { secret: 'x' }, strictDestinationPolicy),
    );
    expect(error.context.field).toBe('secret');
  });
});

const subscription = (over: Partial<WebhookSubscription> = {}): WebhookSubscription => ({
  id: 'ep_a',
  url,
  events: ['*'],
  filters: {},
  description: '',
  enabled: true,
  format: 'cloudevents',
  secrets: { current: `whsec_${'A'.repeat(43)}=` as WebhookSecret, previous: [] },
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...over,
});

const published = (repository: string): PipelineEvent => ({
  ...sampleEvents['repo.published'],
  data: { ...sampleEvents['repo.published'].data, repository },
});

describe('matches', () => {
  test('by type: a listed type or *, and nothing while disabled', () => {
    const failed = sampleEvents['build.failed'];
    expect(matches(subscription(), failed)).toBe(true);
    expect(matches(subscription({ events: ['build.failed'] }), failed)).toBe(true);
    expect(matches(subscription({ events: ['build.succeeded'] }), failed)).toBe(false);
    expect(matches(subscription({ enabled: false }), failed)).toBe(false);
  });

  test('a component filter passes builds, pins and plans of that component only', () => {
    const zlib = subscription({ filters: { components: ['zlib-ng'] } });
    const other = subscription({ filters: { components: ['bash'] } });
    for (const type of ['build.started', 'build.failed', 'plan.created'] as const) {
      expect(matches(zlib, sampleEvents[type])).toBe(true);
      expect(matches(other, sampleEvents[type])).toBe(false);
    }
    expect(matches(zlib, published('base/x86_64'))).toBe(false);
    expect(matches(subscription({ filters: { components: [] } }), published('base/x86_64'))).toBe(true);
  });

  test('repository and channel filters read the repository of publishes and of builds', () => {
    const base = subscription({ filters: { channels: ['base'] } });
    expect(matches(base, published('base/x86_64'))).toBe(true);
    expect(matches(base, published('base/srpms'))).toBe(true);
    expect(matches(base, published('extras/x86_64'))).toBe(false);
    const exact = subscription({ filters: { repositories: ['base/srpms'] } });
    expect(matches(exact, published('base/srpms'))).toBe(true);
    expect(matches(exact, published('base/x86_64'))).toBe(false);
    const succeeded = sampleEvents['build.succeeded'];
    const sentTo = (repositories: string[]): PipelineEvent => ({
      ...succeeded,
      data: { ...succeeded.data, repositories },
    });
    expect(matches(base, sentTo(['base/x86_64']))).toBe(true);
    expect(matches(base, sentTo(['extras/x86_64']))).toBe(false);
    expect(matches(base, sampleEvents['build.started'])).toBe(false);
  });

  test('image events pass a repository or channel filter naming a repository the image is built from', () => {
    const image = sampleEvents['image.published']; // built from azl4-base-x86_64
    expect(matches(subscription({ filters: { repositories: ['azl4-base-x86_64'] } }), image)).toBe(true);
    expect(matches(subscription({ filters: { channels: ['azl4-base-x86_64'] } }), image)).toBe(true);
    expect(matches(subscription({ filters: { repositories: ['extras/x86_64'] } }), image)).toBe(false);
    expect(
      matches(subscription({ filters: { components: ['zlib-ng'] } }), sampleEvents['image.failed']),
    ).toBe(false);
  });
});

describe('WebhookSubscriptions', () => {
  let counter = 0;
  const secrets = () => generateWebhookSecret((length) => new Uint8Array(length).fill(++counter));
  const setUp = () => {
    const store = new MemorySubscriptionStore();
    let now = Date.parse('2026-12-01T12:00:00.000Z');
    const api = new WebhookSubscriptions({
      store,
      policy: strictDestinationPolicy,
      newSecret: secrets,
      newId: () => `ep_${store.rows.size}`,
      now: () => new Date((now += 1000)),
      rotationGraceMs: 60_000,
    });
    return { store, api };
  };

  test('create stores the subscription with defaults and answers its secret once', async () => {
    const { store, api } = setUp();
    const created = await api.create({ url, events: ['repo.published'] });
    expect(created).toMatchObject({ id: 'ep_0', url, enabled: true, format: 'cloudevents', filters: {} });
    expect(store.rows.get('ep_0')?.secrets).toEqual({ current: created.secret, previous: [] });
    expect(JSON.stringify(await api.get('ep_0'))).not.toContain(created.secret);
    expect(JSON.stringify(await api.list())).not.toContain(created.secret);
  });

  test('an invalid request stores nothing and a patch changes nothing', async () => {
    const { store, api } = setUp();
    await expect(api.create({ url: 'https://192.168.1.1/', events: ['*'] })).rejects.toMatchObject({
      code: 'webhook.destination-refused',
    });
    expect(store.rows.size).toBe(0);
    const { id } = await api.create({ url, events: ['*'] });
    const before = structuredClone(store.rows.get(id));
    await expect(api.update(id, { enabled: false, events: ['nope'] })).rejects.toMatchObject({
      context: { field: 'events.0' },
    });
    expect(store.rows.get(id)).toEqual(before);
  });

  test('patch replaces the given fields and keeps the secret', async () => {
    const { store, api } = setUp();
    const created = await api.create({ url, events: ['*'], filters: { components: ['a'] } });
    const updated = await api.update(created.id, { enabled: false, filters: { channels: ['base'] } });
    expect(updated).toMatchObject({ enabled: false, filters: { channels: ['base'] }, events: ['*'] });
    expect(updated.updatedAt > created.updatedAt).toBe(true);
    expect(store.rows.get(created.id)?.secrets.current).toBe(created.secret);
  });

  test('a patch changes the format, and leaves it when not given', async () => {
    const { store, api } = setUp();
    const created = await api.create({ url, events: ['*'], format: 'slack' });
    expect(created.format).toBe('slack');
    expect(await api.update(created.id, { format: 'teams' })).toMatchObject({ format: 'teams' });
    expect(await api.update(created.id, { enabled: false })).toMatchObject({
      format: 'teams',
      enabled: false,
    });
    expect(store.rows.get(created.id)?.format).toBe('teams');
  });

  test('rotate answers a new secret; the old one stays in the set until the grace period ends', async () => {
    const { store, api } = setUp();
    const created = await api.create({ url, events: ['*'] });
    const rotated = await api.rotateSecret(created.id);
    expect(rotated.secret).not.toBe(created.secret);
    const set = store.rows.get(created.id)?.secrets;
    expect(set?.current).toBe(rotated.secret);
    expect(set?.previous.map((retired) => retired.secret)).toEqual([created.secret]);
    expect(Date.parse(set?.previous[0]?.validUntil ?? '') - Date.parse(rotated.updatedAt)).toBe(60_000);
  });

  test('an unknown id is webhook.unknown-subscription for get, patch, delete and rotate', async () => {
    const { api } = setUp();
    for (const call of [
      () => api.get('ep_x'),
      () => api.update('ep_x', { enabled: false }),
      () => api.delete('ep_x'),
      () => api.rotateSecret('ep_x'),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'webhook.unknown-subscription' });
  });
});
