import type { ChatLine, Span } from './chat-message';

/** How one chat service writes each kind of span (its emphasis, code, link syntax and escaping). */
export interface Markup {
  text(text: string): string;
  strong(text: string): string;
  code(text: string): string;
  link(url: string, label: string): string;
}

/**
 * `line` in `markup`, at most `max` characters. When the line is longer, it ends with `…` where the limit
 * came: inside plain text (cut between code points), or before an emphasised, code or link span, which is
 * kept whole or left out, so the markup is never cut in the middle.
 */
export function renderLine(line: ChatLine, markup: Markup, max: number): string {
  const whole = line.map((span) => renderSpan(span, markup)).join('');
  if (whole.length <= max) return whole;
  const room = max - 1; // for the `…`
  let out = '';
  for (const span of line) {
    const rendered = renderSpan(span, markup);
    if (out.length + rendered.length <= room) {
      out += rendered;
      continue;
    }
    if (typeof span === 'string')
      for (const character of Array.from(span)) {
        const piece = markup.text(character);
        if (out.length + piece.length > room) break;
        out += piece;
      }
    break;
  }
  return `${out.trimEnd()}…`;
}

function renderSpan(span: Span, markup: Markup): string {
  if (typeof span === 'string') return markup.text(span);
  if ('strong' in span) return markup.strong(span.strong);
  if ('code' in span) return markup.code(span.code);
  return markup.link(span.link, span.label);
}
