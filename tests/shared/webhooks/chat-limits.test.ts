import { describe, expect, test } from 'vitest';
import { pipelineEvent, toCloudEvent } from '../../../shared/events';
import type { PipelineEvent } from '../../../shared/events';
import { chatBodyByteBudget, chatRequestBody } from '../../../shared/webhooks/chat';
import type { ChatFormat, SlackMessage, TeamsMessage } from '../../../shared/webhooks/chat';
import { renderLine } from '../../../shared/webhooks/chat/markup';
import { slackMarkup } from '../../../shared/webhooks/chat/slack';
import { teamsMarkup } from '../../../shared/webhooks/chat/teams';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';

const base = 'https://func-x.azurewebsites.net';
const formats: readonly ChatFormat[] = ['slack', 'teams'];
const bodyOf = (format: ChatFormat, event: PipelineEvent) =>
  chatRequestBody(format, toCloudEvent(event, 'local'), base);
const slackOf = (event: PipelineEvent) =>
  JSON.parse(new TextDecoder().decode(bodyOf('slack', event))) as SlackMessage;
const teamsOf = (event: PipelineEvent) =>
  JSON.parse(new TextDecoder().decode(bodyOf('teams', event))) as TeamsMessage;

/** A plan of `n` components, as a first full rebuild of the distribution makes. */
function planOf(n: number, name: (i: number) => string = (i) => `component-${i}`) {
  return pipelineEvent('plan.created', {
    identity: `plan-big-${n}`,
    subject: 'plan-big',
    time: '2026-12-01T12:00:00.000Z',
    data: {
      planId: 'plan-big',
      messages: n,
      planned: Array.from({ length: n }, (_, i) => ({ component: name(i), wave: 0, priority: 0 })),
      skipped: 0,
      cycles: 0,
    },
  });
}

function failureWith(message: string, component = 'zlib-ng') {
  const failed = sampleEvents['build.failed'];
  return pipelineEvent('build.failed', {
    identity: `${component}:${message.length}`,
    subject: component,
    time: failed.time,
    data: { ...failed.data, component, error: { code: 'build.failed', message, retryable: false } },
  });
}

/** Slack's limits that answer 400 when crossed (Block Kit reference). */
function expectWithinSlackLimits(message: SlackMessage): void {
  expect(message.text.length).toBeLessThanOrEqual(3000);
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  for (const block of message.blocks) {
    if (block.type === 'section') {
      expect(block.text.text.length).toBeLessThanOrEqual(3000);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(10);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    } else for (const element of block.elements) expect(element.text.length).toBeLessThanOrEqual(3000);
  }
}

describe('long lists', () => {
  test('a plan of 7,000 components names the first ten and "and 6,990 more"', () => {
    const slack = slackOf(planOf(7000));
    expect(slack.text.split('\n')[0]).toBe(
      '📋 Plan `plan-big` queued 7,000 builds from 7,000 upstream messages',
    );
    expect(slack.text).toContain(
      '*Components:* *component-0*, *component-1*, *component-2*, *component-3*, *component-4*, *component-5*, *component-6*, *component-7*, *component-8*, *component-9* and 6,990 more',
    );
    expect(slack.text).not.toContain('component-10');
    const card = JSON.stringify(teamsOf(planOf(7000)));
    expect(card).toContain('**component-9** and 6,990 more');
    expect(card).not.toContain('component-10');
  });

  test('a publish of 500 packages lists ten of them', () => {
    const published = sampleEvents['repo.published'];
    const nevras = Array.from({ length: 500 }, (_, i) => `pkg${i}-1.0-1.azl4.x86_64`);
    const event = { ...published, data: { ...published.data, added: nevras, removed: nevras } };
    const slack = slackOf(event);
    expect(slack.text.split('\n')[0]).toBe(
      '📦 *azl4-base-x86_64* published revision 7: 500 added, 500 removed',
    );
    expect(slack.text).toContain('`pkg9-1.0-1.azl4.x86_64` and 490 more');
  });
});

describe('every body stays far under the chat limits', () => {
  const worst: [string, PipelineEvent][] = [
    ['a plan of 7,000 components with 200-character names', planOf(7000, (i) => `${i}`.padEnd(200, 'x'))],
    ['a plan of 7,000 names full of characters to escape', planOf(7000, () => '&<>'.repeat(66))],
    ['a plan of 7,000 names of four-byte characters', planOf(7000, () => '📦'.repeat(200))],
    ['an error message of 1 MB', failureWith('rpmbuild: '.repeat(100_000))],
    ['an error message of escapes and emoji', failureWith('<&>😀'.repeat(50_000), '&'.repeat(200))],
  ];

  test.each(worst)('%s', (_case, event) => {
    for (const format of formats)
      expect(bodyOf(format, event).byteLength).toBeLessThanOrEqual(chatBodyByteBudget[format]);
    expectWithinSlackLimits(slackOf(event));
    expect(chatBodyByteBudget.teams).toBeLessThan(28 * 1024);
    expect(chatBodyByteBudget.slack).toBeLessThan(40_000);
  });

  test('a body over the budget is made again with shorter pieces, and still says what happened', () => {
    const published = sampleEvents['repo.published'];
    const nevras = Array.from({ length: 20 }, (_, i) => `${i}${'📦'.repeat(99)}`);
    const event = { ...published, data: { ...published.data, added: nevras, removed: nevras } };
    // Two lists of ten 4-byte-character NEVRAs, in the text and again in the section's fields: about 14 KB
    // with the usual limits, so every piece is made again shorter.
    expect(bodyOf('slack', event).byteLength).toBeLessThanOrEqual(chatBodyByteBudget.slack);
    const slack = slackOf(event);
    expect(slack.text.split('\n')[0]).toBe(
      '📦 *azl4-base-x86_64* published revision 7: 20 added, 20 removed',
    );
    const section = slack.blocks[0];
    const field = section?.type === 'section' ? (section.fields?.[0]?.text ?? '') : '';
    expect(field.startsWith('*Added*\n`0📦📦')).toBe(true);
    expect(field.endsWith('…')).toBe(true);
    expect(field.length).toBeLessThanOrEqual(1000); // at most half of Slack's 2,000 for a field
  });

  test('a long error message is cut at 500 characters with …, on one line', () => {
    const slack = slackOf(failureWith(`first line\n${'x'.repeat(2000)}`));
    const headline = slack.text.split('\n')[0] ?? '';
    expect(headline.startsWith('❌ Build of *zlib-ng* failed (`build.failed`): first line xxx')).toBe(true);
    expect(headline.endsWith('x…')).toBe(true);
    expect(headline.length).toBeLessThan(600);
  });
});

describe('text from events is not markup', () => {
  test('Slack: <, > and & are escaped, so an error cannot notify the channel or make a link', () => {
    const slack = slackOf(failureWith('see <!channel> & <https://evil.example|click>'));
    expect(slack.text.split('\n')[0]).toBe(
      '❌ Build of *zlib-ng* failed (`build.failed`): see &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;',
    );
    expect(JSON.stringify(slack)).not.toContain('<!channel>');
  });

  test('a backtick inside a code span does not end it', () => {
    const pinned = sampleEvents['upstream.pinned'];
    const slack = slackOf({ ...pinned, data: { ...pinned.data, pin: 'abc`def' } });
    expect(slack.text).toContain("pinned to `abc'def`");
  });
});

describe('an event the catalogue does not know', () => {
  test.each(formats)('%s: still gets a line naming its type and subject', (format) => {
    const event = {
      specversion: '1.0',
      id: 'evt_future',
      source: 'urn:azl-rebuilder:local',
      type: 'com.azurelinux.rebuilder.image.published',
      subject: 'azl4-container',
      time: '2026-12-01T12:00:00.000Z',
      data: { image: 'azl4-container' },
    };
    const text = new TextDecoder().decode(chatRequestBody(format, event, base));
    expect(text).toContain('com.azurelinux.rebuilder.image.published');
    expect(text).toContain('azl4-container');
    expect(text).not.toContain('/api/');
  });
});

describe('cutting a line to its limit', () => {
  test('plain text is cut between characters; markup and escapes are kept whole or left out', () => {
    expect(renderLine(['abcdefgh'], slackMarkup, 5)).toBe('abcd…');
    expect(renderLine(['abc', { strong: 'bold' }, 'def'], slackMarkup, 12)).toBe('abc*bold*def');
    expect(renderLine(['abc', { strong: 'bold' }, 'def'], slackMarkup, 11)).toBe('abc*bold*d…');
    expect(renderLine(['abc', { strong: 'bold' }, 'def'], slackMarkup, 8)).toBe('abc…');
    expect(renderLine(['a&b', { link: 'https://x.example', label: 'x' }], slackMarkup, 4)).toBe('a…');
    expect(renderLine(['📦📦📦'], teamsMarkup, 5)).toBe('📦📦…');
  });
});
