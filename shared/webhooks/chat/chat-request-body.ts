import { CLOUD_EVENT_TYPE_PREFIX, parseCloudEvent } from '../../events';
import type { EventType, PipelineEvent } from '../../events';
import type { ChatMessage } from './chat-message';
import { clip } from './chat-message';
import { describeEvent } from './describe-event';
import { slackLimits, slackMessage } from './slack';
import { teamsLimits, teamsMessage } from './teams';

export type ChatFormat = 'slack' | 'teams';

/**
 * The most bytes a chat body may take: far under Slack's limits (40,000 characters of text; blocks have
 * been reported refused, `msg_blocks_too_long`, from about 13,000 characters) and Teams' (about 28 KB for a
 * message). A body
 * over it is rendered again with every per-piece limit halved, down to an eighth. The pieces are bounded
 * already (`chat-message.ts`), so a usual event is a few hundred bytes and only text full of multi-byte
 * characters gets that far.
 */
export const chatBodyByteBudget: Readonly<Record<ChatFormat, number>> = { slack: 8_000, teams: 16_000 };
const scales = [1, 0.5, 0.25, 0.125];

/**
 * The UTF-8 JSON body that posts `event` (a CloudEvent in structured mode) to a chat webhook in `format`,
 * linking to the status API under `publicUrl` when given. An event the catalogue does not know (a type added
 * after this sender, data that does not fit) still gets a line, naming its type and subject: a chat
 * receiver is told something rather than nothing.
 */
export function chatRequestBody(format: ChatFormat, event: object, publicUrl?: string): Uint8Array {
  const message = chatMessageOf(event, publicUrl);
  const encoder = new TextEncoder();
  let body = new Uint8Array();
  for (const scale of scales) {
    body = encoder.encode(JSON.stringify(render(format, message, scale)));
    if (body.byteLength <= chatBodyByteBudget[format]) break;
  }
  return body;
}

function render(format: ChatFormat, message: ChatMessage, scale: number): object {
  const scaled = <L extends Record<string, number>>(limits: L): L =>
    Object.fromEntries(Object.entries(limits).map(([name, limit]) => [name, Math.floor(limit * scale)])) as L;
  switch (format) {
    case 'slack':
      return slackMessage(message, scaled({ ...slackLimits }));
    case 'teams':
      return teamsMessage(message, scaled({ ...teamsLimits }));
  }
}

/** The message of a catalogue event, or the generic line of one it does not know. */
export function chatMessageOf(event: object, publicUrl?: string): ChatMessage {
  let parsed: ReturnType<typeof parseCloudEvent>;
  try {
    parsed = parseCloudEvent(event);
  } catch {
    return unknownEventMessage(event);
  }
  const pipelineEvent = {
    id: parsed.id,
    type: parsed.type.slice(CLOUD_EVENT_TYPE_PREFIX.length) as EventType,
    subject: parsed.subject,
    time: parsed.time,
    data: parsed.data,
  } as PipelineEvent;
  return describeEvent(pipelineEvent, publicUrl);
}

function unknownEventMessage(event: {
  readonly type?: unknown;
  readonly subject?: unknown;
  readonly time?: unknown;
}): ChatMessage {
  const text = (value: unknown): string => (typeof value === 'string' ? clip(value) : 'unknown');
  const type = text(event.type);
  const subject = text(event.subject);
  return {
    headline: ['🔔 ', { code: type }, ' about ', { strong: subject }],
    facts: [],
    context: `${type} · ${subject} · ${text(event.time)}`,
  };
}
