import type { ChatMessage } from './chat-message';
import type { Markup } from './markup';
import { renderLine } from './markup';

/**
 * The body a Microsoft Teams workflow ("Post to a channel when a webhook request is received", the Workflows
 * app's replacement for the retired Office 365 connectors) takes: a `message` whose one attachment is an
 * Adaptive Card. Workflows post Adaptive Cards only (not the old MessageCard). The card: the headline as a
 * wrapping TextBlock, the facts as a FactSet, the event type, subject and time in small print, and an
 * `Action.OpenUrl` to the status API answer when the link is known.
 *
 * Version 1.4: every element used here is from 1.0-1.2, and 1.5 is where Universal Actions begin, which
 * Microsoft notes make a card incompatible with older Teams clients; 1.4 stays below that. Teams' markdown in TextBlocks and facts has bold, italic, lists and links, no inline code, so code
 * spans are written as plain text. A Teams message is limited to about 28 KB; `chatRequestBody` keeps the body
 * well under it.
 */
export const adaptiveCardVersion = '1.4';
export const adaptiveCardContentType = 'application/vnd.microsoft.card.adaptive';

export interface TeamsMessage {
  readonly type: 'message';
  readonly attachments: readonly [
    {
      readonly contentType: typeof adaptiveCardContentType;
      readonly contentUrl: null;
      readonly content: AdaptiveCard;
    },
  ];
}

export interface AdaptiveCard {
  readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  readonly type: 'AdaptiveCard';
  readonly version: typeof adaptiveCardVersion;
  readonly body: readonly AdaptiveElement[];
  readonly actions?: readonly {
    readonly type: 'Action.OpenUrl';
    readonly title: string;
    readonly url: string;
  }[];
  readonly msteams: { readonly width: 'Full' };
}

export type AdaptiveElement =
  | {
      readonly type: 'TextBlock';
      readonly text: string;
      readonly wrap: true;
      readonly size?: 'Small';
      readonly isSubtle?: true;
    }
  | {
      readonly type: 'FactSet';
      readonly facts: readonly { readonly title: string; readonly value: string }[];
    };

export interface TeamsLimits {
  readonly line: number;
  readonly fact: number;
}

export const teamsLimits: TeamsLimits = { line: 2000, fact: 2000 };
const maxFacts = 10;

/** `[` and `]` in a label would end the link text early. */
const linkLabel = (text: string): string => text.replace(/\[/g, '(').replace(/\]/g, ')');

export const teamsMarkup: Markup = {
  text: (text) => text,
  strong: (text) => `**${text}**`,
  code: (text) => text,
  link: (url, label) => `[${linkLabel(label)}](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`,
};

export function teamsMessage(message: ChatMessage, limits: TeamsLimits = teamsLimits): TeamsMessage {
  const facts = message.facts.slice(0, maxFacts).map((fact) => ({
    title: fact.name,
    value: renderLine(fact.value, teamsMarkup, limits.fact),
  }));
  const body: AdaptiveElement[] = [
    { type: 'TextBlock', text: renderLine(message.headline, teamsMarkup, limits.line), wrap: true },
    ...(facts.length === 0 ? [] : [{ type: 'FactSet' as const, facts }]),
    { type: 'TextBlock', text: message.context, wrap: true, size: 'Small', isSubtle: true },
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: adaptiveCardContentType,
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: adaptiveCardVersion,
          body,
          ...(message.link === undefined
            ? {}
            : { actions: [{ type: 'Action.OpenUrl', title: message.link.label, url: message.link.url }] }),
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}
