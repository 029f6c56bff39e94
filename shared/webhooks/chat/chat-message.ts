/**
 * A chat message about one pipeline event, before it is written in a chat service's markup: the one readable
 * line (`headline`), a few named facts, and a link to the status API answer for the event's subject. Each
 * renderer (`slack.ts`, `teams.ts`) writes the same message in its own markup and escaping, so what a line
 * says is decided once (`describe-event.ts`).
 *
 * Every value put in a message is bounded here (`clip`, `listWithMore`), so a body stays far under the chat
 * services' limits whatever the event holds (a plan of 7,000 components, a long error message).
 */

/** A piece of a line: text as it is, emphasised, code (ids, error codes, NEVRAs) or a link. */
export type Span =
  | string
  | { readonly strong: string }
  | { readonly code: string }
  | { readonly link: string; readonly label: string };

export type ChatLine = readonly Span[];

export interface ChatFact {
  /** Plain text. */
  readonly name: string;
  readonly value: ChatLine;
}

export interface ChatLink {
  readonly label: string;
  readonly url: string;
}

export interface ChatMessage {
  /** What happened, in one line: the notification text. */
  readonly headline: ChatLine;
  readonly facts: readonly ChatFact[];
  /** The status API answer for the subject; absent when no public base URL is known. */
  readonly link?: ChatLink;
  /** Small print, plain: the event type, the subject and the time. */
  readonly context: string;
}

/** The longest a name, id or NEVRA gets in a message (the catalogue allows component names of 200). */
export const maxValueLength = 200;
/** The longest an error message or detail gets. */
export const maxMessageLength = 500;
/** How many items of a list are named before "and N more". */
export const maxListedItems = 10;

/** `text` on one line (newlines and runs of blanks become one space), cut to `max` characters with `…`. */
export function clip(text: string, max: number = maxValueLength): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= max) return oneLine;
  // Cut between code points, so an emoji or other astral character is never split in half.
  return `${Array.from(oneLine)
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/**
 * The first `max` items, each as `span` makes it, separated by commas, then "and N more" when there are more:
 * `a, b, c and 6,997 more`. An empty list gives `none`.
 */
export function listWithMore(
  items: readonly string[],
  span: (item: string) => Span = (item) => ({ code: clip(item) }),
  max: number = maxListedItems,
): ChatLine {
  if (items.length === 0) return ['none'];
  const shown = items.slice(0, max);
  const line: Span[] = [];
  shown.forEach((item, index) => {
    if (index > 0) line.push(', ');
    line.push(span(item));
  });
  const more = items.length - shown.length;
  if (more > 0) line.push(` and ${count(more)} more`);
  return line;
}

/** `1,234`: a count as people read it (fixed locale, so a message does not depend on the host's). */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 build`, `3 builds`. */
export function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
