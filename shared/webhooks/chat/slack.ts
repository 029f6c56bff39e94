import type { ChatMessage } from './chat-message';
import type { Markup } from './markup';
import { renderLine } from './markup';

/**
 * The body of a Slack incoming webhook (`POST` of JSON to the hook's secret URL): `text`, the whole message in
 * mrkdwn (what notifications show, and all that Mattermost and Rocket.Chat read: both take a Slack-compatible
 * `text`, Mattermost turning `<url|label>` into a Markdown link), and `blocks` for Slack itself: a `section`
 * with the headline and the facts as its `fields`, then a `context` with the event type, subject, time and
 * the status link.
 *
 * Slack's limits (Block Kit reference): a section's text 3,000 characters, at most 10 fields of 2,000, and a
 * message's `text` is cut at 40,000; Slack answers 400 to a block over its limit, so every piece is kept within
 * it here (`limits`), and `chatRequestBody` shrinks them further if the body would still be large.
 */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export type SlackBlock =
  | {
      readonly type: 'section';
      readonly text: SlackText;
      readonly fields?: readonly SlackText[];
    }
  | { readonly type: 'context'; readonly elements: readonly SlackText[] };

export interface SlackText {
  readonly type: 'mrkdwn';
  readonly text: string;
}

export interface SlackLimits {
  /** The section text and the `text` fallback. */
  readonly line: number;
  /** Each field. */
  readonly fact: number;
}

export const slackLimits: SlackLimits = { line: 3000, fact: 2000 };
/** Slack's most fields in one section. */
const maxFields = 10;

/**
 * Slack reads `&`, `<` and `>` as markup (`<!channel>` notifies everyone, `<url|label>` is a link), so text
 * from an event has them escaped as its formatting reference asks; a backtick would end a code span early, so
 * one inside code becomes a quote.
 */
const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const slackMarkup: Markup = {
  text: escape,
  strong: (text) => `*${escape(text)}*`,
  code: (text) => `\`${escape(text.replace(/`/g, "'"))}\``,
  // `|` and `>` end the URL part of `<url|label>`; percent-encoded they mean the same URL.
  link: (url, label) =>
    `<${url.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E')}|${escape(label)}>`,
};

export function slackMessage(message: ChatMessage, limits: SlackLimits = slackLimits): SlackMessage {
  const headline = renderLine(message.headline, slackMarkup, limits.line);
  const facts = message.facts.slice(0, maxFields);
  const fields = facts.map((fact) =>
    renderLine([{ strong: fact.name }, '\n', ...fact.value], slackMarkup, limits.fact),
  );
  const factLines = facts.map((fact) =>
    renderLine([{ strong: `${fact.name}:` }, ' ', ...fact.value], slackMarkup, limits.fact),
  );
  const link =
    message.link === undefined ? undefined : slackMarkup.link(message.link.url, message.link.label);
  // Bounded by construction: the type, a clipped subject, the time and a link of the base URL and one id.
  const context = [escape(message.context), ...(link === undefined ? [] : [link])].join(' · ');
  return {
    text: fitLines([headline, ...factLines, ...(link === undefined ? [] : [link])], limits.line),
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: headline },
        ...(fields.length === 0 ? {} : { fields: fields.map((text) => ({ type: 'mrkdwn' as const, text })) }),
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
    ],
  };
}

/** The lines joined by newlines, as many whole lines as fit in `max` characters (the first always). */
function fitLines(lines: readonly string[], max: number): string {
  let out = '';
  for (const line of lines) {
    const next = out === '' ? line : `${out}\n${line}`;
    if (out !== '' && next.length > max) break;
    out = next;
  }
  return out;
}
