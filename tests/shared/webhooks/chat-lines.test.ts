import { describe, expect, test } from 'vitest';
import type { EventType } from '../../../shared/events';
import { eventTypes, toCloudEvent } from '../../../shared/events';
import { chatRequestBody } from '../../../shared/webhooks/chat';
import type { SlackMessage, TeamsMessage } from '../../../shared/webhooks/chat';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';

const base = 'https://func-x.azurewebsites.net';
const cloudEventOf = (type: EventType) => toCloudEvent(sampleEvents[type], 'local');
const decode = (body: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(body));
const slackOf = (type: EventType, publicUrl?: string) =>
  decode(chatRequestBody('slack', cloudEventOf(type), publicUrl)) as SlackMessage;
const teamsOf = (type: EventType, publicUrl?: string) =>
  decode(chatRequestBody('teams', cloudEventOf(type), publicUrl)) as TeamsMessage;

/** The card's TextBlocks and facts, as a reader sees them in order. */
function teamsTexts(message: TeamsMessage): { headline: string; facts: Record<string, string> } {
  const [headline, ...rest] = message.attachments[0].content.body;
  const facts: Record<string, string> = {};
  for (const element of rest)
    if (element.type === 'FactSet') for (const fact of element.facts) facts[fact.title] = fact.value;
  return { headline: headline?.type === 'TextBlock' ? headline.text : '', facts };
}

/** The section's fields as `name → value` (each field is `*Name*\nvalue`). */
function slackFacts(message: SlackMessage): Record<string, string> {
  const section = message.blocks[0];
  const fields = section?.type === 'section' ? (section.fields ?? []) : [];
  return Object.fromEntries(
    fields.map((field) => {
      const [name = '', ...value] = field.text.split('\n');
      return [name.replace(/^\*|\*$/g, ''), value.join('\n')];
    }),
  );
}

/** The one line of each type, in Slack's mrkdwn and in Teams' markdown (which has no inline code). */
const headlines: Record<EventType, { slack: string; teams: string }> = {
  'plan.created': {
    slack: '📋 Plan `plan-20261201T120000Z-1a2b3c` queued 1 build from 1 upstream message',
    teams: '📋 Plan plan-20261201T120000Z-1a2b3c queued 1 build from 1 upstream message',
  },
  'build.started': {
    slack: '🔨 Build of *zlib-ng* started',
    teams: '🔨 Build of **zlib-ng** started',
  },
  'build.succeeded': {
    slack: '✅ *zlib-ng* built 1 package for `azl4-base-x86_64`',
    teams: '✅ **zlib-ng** built 1 package for azl4-base-x86_64',
  },
  'build.unchanged': {
    slack: '➖ *zlib-ng* rebuilt with the same contents as its last success; nothing was published',
    teams: '➖ **zlib-ng** rebuilt with the same contents as its last success; nothing was published',
  },
  'build.failed': {
    slack: '❌ Build of *zlib-ng* failed (`build.failed`): rpmbuild failed',
    teams: '❌ Build of **zlib-ng** failed (build.failed): rpmbuild failed',
  },
  'build.overlay-drift': {
    slack:
      "⚠️ *zlib-ng*: an overlay no longer applies to the upstream spec and needs a maintainer's fix (`overlay.drift`): overlay 2 no longer applies",
    teams:
      "⚠️ **zlib-ng**: an overlay no longer applies to the upstream spec and needs a maintainer's fix (overlay.drift): overlay 2 no longer applies",
  },
  'repo.published': {
    slack: '📦 *azl4-base-x86_64* published revision 7: 1 added, 1 removed',
    teams: '📦 **azl4-base-x86_64** published revision 7: 1 added, 1 removed',
  },
  'image.published': {
    slack: '💿 Image *vm-base* `20261201.1` published with 212 packages',
    teams: '💿 Image **vm-base** 20261201.1 published with 212 packages',
  },
  'image.failed': {
    slack:
      '❌ Image *vm-base* `20261201.2` failed (`image.missing-packages`): no repository has: kernel, shim',
    teams: '❌ Image **vm-base** 20261201.2 failed (image.missing-packages): no repository has: kernel, shim',
  },
  'upstream.pinned': {
    slack: '📌 *shim* is pinned to `d19ffa4`: upstream `shim-16.1-1.fc43` was not followed',
    teams: '📌 **shim** is pinned to d19ffa4: upstream shim-16.1-1.fc43 was not followed',
  },
  'webhook.endpoint-disabled': {
    slack: '🔕 Webhook endpoint `ep_1` was disabled: it answered 410 Gone',
    teams: '🔕 Webhook endpoint ep_1 was disabled: it answered 410 Gone',
  },
  'webhook.ping': {
    slack: '👋 Test event for webhook endpoint `ep_1`: azl-rebuilder events reach this channel',
    teams: '👋 Test event for webhook endpoint ep_1: azl-rebuilder events reach this channel',
  },
};

/** Where each type links under the public base URL (the status API routes). */
const statusPaths: Record<EventType, string> = {
  'plan.created': '/api/plans/plan-20261201T120000Z-1a2b3c',
  'build.started': '/api/builds/zlib-ng%403f2a9c01d4e5b6a7',
  'build.succeeded': '/api/builds/zlib-ng%403f2a9c01d4e5b6a7',
  'build.unchanged': '/api/builds/zlib-ng%403f2a9c01d4e5b6a7',
  'build.failed': '/api/builds/zlib-ng%403f2a9c01d4e5b6a7',
  'build.overlay-drift': '/api/builds/zlib-ng%403f2a9c01d4e5b6a7',
  'repo.published': '/api/repos',
  'image.published': '/api/images/vm-base',
  'image.failed': '/api/images/vm-base',
  'upstream.pinned': '/api/components/shim',
  'webhook.endpoint-disabled': '/api/webhooks/ep_1',
  'webhook.ping': '/api/webhooks/ep_1',
};

describe('the line of every catalogue event', () => {
  test.each(eventTypes)('%s: Slack', (type) => {
    const message = slackOf(type);
    expect(message.blocks[0]).toMatchObject({
      type: 'section',
      text: { type: 'mrkdwn', text: headlines[type].slack },
    });
    expect(message.text.split('\n')[0]).toBe(headlines[type].slack);
  });

  test.each(eventTypes)('%s: Teams', (type) => {
    expect(teamsTexts(teamsOf(type)).headline).toBe(headlines[type].teams);
  });

  test.each(eventTypes)('%s: the link to the status API, in both formats', (type) => {
    const url = `${base}${statusPaths[type]}`;
    const slack = slackOf(type, base);
    expect(slack.text).toContain(`<${url}|Open in the status API>`);
    expect(JSON.stringify(slack.blocks[1])).toContain(`<${url}|Open in the status API>`);
    expect(teamsOf(type, base).attachments[0].content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in the status API', url },
    ]);
  });

  test.each(eventTypes)('%s: no public URL, no link', (type) => {
    const slack = slackOf(type);
    expect(JSON.stringify(slack)).not.toContain('/api/');
    expect(slack.text).not.toContain('Open in the status API');
    expect(teamsOf(type).attachments[0].content).not.toHaveProperty('actions');
  });

  test('a base URL with a trailing slash links the same; one that is not http(s) links nowhere', () => {
    const url = `${base}${statusPaths['build.failed']}`;
    expect(slackOf('build.failed', `${base}/`).text).toContain(`<${url}|`);
    expect(slackOf('build.failed', 'ftp://example.com').text).not.toContain('Open in the status API');
    expect(slackOf('build.failed', 'not a url').text).not.toContain('Open in the status API');
  });
});

describe('the facts a reader acts on', () => {
  test('a success names its NEVRAs and repositories, and the build', () => {
    expect(slackFacts(slackOf('build.succeeded'))).toEqual({
      Packages: '`zlib-ng-2.2.4-1.azl4.x86_64`',
      Repositories: '`azl4-base-x86_64`',
      Attempt: '1',
      Build: '`zlib-ng@3f2a9c01d4e5b6a7`',
      Plan: '`plan-20261201T120000Z-1a2b3c`',
    });
    expect(teamsTexts(teamsOf('build.succeeded')).facts).toMatchObject({
      Packages: 'zlib-ng-2.2.4-1.azl4.x86_64',
      Repositories: 'azl4-base-x86_64',
    });
  });

  test('a failure gives its attempt; a publish its packages and the base URL dnf reads', () => {
    expect(slackFacts(slackOf('build.failed'))).toMatchObject({ Attempt: '3' });
    const baseUrl = 'https://example.blob.core.windows.net/repos/azl4-base-x86_64/';
    expect(slackFacts(slackOf('repo.published'))).toEqual({
      Added: '`zlib-ng-2.2.4-1.azl4.x86_64`',
      Removed: '`zlib-ng-2.2.3-1.azl4.x86_64`',
      'Base URL': `<${baseUrl}|${baseUrl}>`,
    });
    expect(teamsTexts(teamsOf('repo.published')).facts['Base URL']).toBe(`[${baseUrl}](${baseUrl})`);
  });

  test('the small print names the type, the subject and the time', () => {
    const context = slackOf('upstream.pinned').blocks[1];
    expect(context).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'upstream.pinned · shim · 2026-12-01T12:00:00.000Z' }],
    });
  });

  test('a cancelled build says so, with no error', () => {
    const failed = sampleEvents['build.failed'];
    const cancelled = toCloudEvent(
      { ...failed, data: { ...failed.data, state: 'cancelled', error: undefined } },
      'local',
    );
    const message = decode(chatRequestBody('slack', cancelled)) as SlackMessage;
    expect(message.text.split('\n')[0]).toBe('🚫 Build of *zlib-ng* was cancelled');
  });
});
