export { chatBodyByteBudget, chatMessageOf, chatRequestBody } from './chat-request-body';
export type { ChatFormat } from './chat-request-body';
export type { ChatFact, ChatLine, ChatLink, ChatMessage, Span } from './chat-message';
export { describeEvent } from './describe-event';
export { slackMessage } from './slack';
export type { SlackMessage } from './slack';
export { adaptiveCardVersion, teamsMessage } from './teams';
export type { AdaptiveCard, TeamsMessage } from './teams';
