import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { eventTypes, toCloudEvent } from '../../../shared/events';
import { chatRequestBody } from '../../../shared/webhooks/chat';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';

/**
 * The bodies against the shapes their receivers document, strict (a property they do not know fails): a
 * Slack incoming-webhook message (`text` and Block Kit `section`/`context` blocks of `mrkdwn`), and the
 * message a Teams workflow posts (one `application/vnd.microsoft.card.adaptive` attachment with
 * `contentUrl: null`, an AdaptiveCard of TextBlocks and a FactSet, `Action.OpenUrl`).
 */
const mrkdwn = z.strictObject({ type: z.literal('mrkdwn'), text: z.string().min(1).max(3000) });
const slackBody = z.strictObject({
  text: z.string().min(1).max(3000),
  blocks: z
    .array(
      z.discriminatedUnion('type', [
        z.strictObject({
          type: z.literal('section'),
          text: mrkdwn,
          fields: z
            .array(mrkdwn.extend({ text: z.string().min(1).max(2000) }))
            .min(1)
            .max(10)
            .optional(),
        }),
        z.strictObject({ type: z.literal('context'), elements: z.array(mrkdwn).min(1).max(10) }),
      ]),
    )
    .min(1)
    .max(50),
});

const textBlock = z.strictObject({
  type: z.literal('TextBlock'),
  text: z.string().min(1),
  wrap: z.literal(true),
  size: z.literal('Small').optional(),
  isSubtle: z.literal(true).optional(),
});
const factSet = z.strictObject({
  type: z.literal('FactSet'),
  facts: z.array(z.strictObject({ title: z.string().min(1), value: z.string().min(1) })).min(1),
});
const adaptiveCard = z.strictObject({
  $schema: z.literal('http://adaptivecards.io/schemas/adaptive-card.json'),
  type: z.literal('AdaptiveCard'),
  version: z.literal('1.4'),
  body: z.array(z.discriminatedUnion('type', [textBlock, factSet])).min(1),
  actions: z
    .array(
      z.strictObject({
        type: z.literal('Action.OpenUrl'),
        title: z.string().min(1),
        url: z.url({ protocol: /^https$/ }),
      }),
    )
    .length(1)
    .optional(),
  msteams: z.strictObject({ width: z.literal('Full') }),
});
const teamsBody = z.strictObject({
  type: z.literal('message'),
  attachments: z
    .array(
      z.strictObject({
        contentType: z.literal('application/vnd.microsoft.card.adaptive'),
        contentUrl: z.null(),
        content: adaptiveCard,
      }),
    )
    .length(1),
});

const bodyOf = (format: 'slack' | 'teams', type: (typeof eventTypes)[number], publicUrl?: string): unknown =>
  JSON.parse(
    new TextDecoder().decode(chatRequestBody(format, toCloudEvent(sampleEvents[type], 'local'), publicUrl)),
  );

describe.each([undefined, 'https://func-x.azurewebsites.net'])('with public URL %s', (publicUrl) => {
  test.each(eventTypes)('%s: Slack incoming-webhook shape', (type) => {
    const parsed = slackBody.safeParse(bodyOf('slack', type, publicUrl));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  test.each(eventTypes)('%s: Teams workflow message with an Adaptive Card', (type) => {
    const parsed = teamsBody.safeParse(bodyOf('teams', type, publicUrl));
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.attachments[0]?.content.actions === undefined).toBe(publicUrl === undefined);
  });
});

test('the strict shapes refuse what a receiver would not know (the check can fail)', () => {
  const slack = bodyOf('slack', 'build.failed') as { blocks: object[] };
  expect(slackBody.safeParse({ ...slack, blocks: [{ type: 'header', text: 'x' }] }).success).toBe(false);
  const teams = bodyOf('teams', 'build.failed') as { attachments: { content: object }[] };
  const card = teams.attachments[0]?.content;
  expect(
    teamsBody.safeParse({ ...teams, attachments: [{ contentType: 'x', contentUrl: null, content: card }] })
      .success,
  ).toBe(false);
  expect(
    teamsBody.safeParse({
      ...teams,
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: { ...card, version: '1.6' },
        },
      ],
    }).success,
  ).toBe(false);
});
