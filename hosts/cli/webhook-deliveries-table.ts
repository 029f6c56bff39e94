import type { AttemptPageView, AttemptView } from '../../infra/webhooks/webhook-api-client';

const columns = ['TIME', 'RESULT', 'HTTP', 'TRY', 'LATENCY', 'EVENT', 'DELIVERY', 'DETAIL'] as const;

/**
 * A page of the delivery log as a table for people: one attempt a line, newest first as the API gives them,
 * columns padded to their widest cell, and the command for the next page when there is one. `TRY` is
 * `<round>.<attempt>` (a redelivery starts round 2); `DETAIL` is the error, or when the next attempt is due,
 * or the start of the answer. Pure.
 */
export function deliveriesTable(page: AttemptPageView, nextPageHint: (token: string) => string): string {
  if (page.attempts.length === 0) return 'no delivery attempts yet\n';
  const rows: string[][] = [[...columns], ...page.attempts.map(rowOf)];
  const widths = columns.map((_, index) => Math.max(...rows.map((row) => row[index]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd(),
  );
  if (page.continuationToken !== undefined) lines.push(`more: ${nextPageHint(page.continuationToken)}`);
  return `${lines.join('\n')}\n`;
}

function rowOf(attempt: AttemptView): string[] {
  return [
    attempt.at,
    attempt.result,
    attempt.status === undefined ? '-' : String(attempt.status),
    `${attempt.round}.${attempt.attempt}`,
    `${Math.round(attempt.latencyMs)} ms`,
    attempt.eventType,
    attempt.deliveryId,
    detailOf(attempt),
  ];
}

function detailOf(attempt: AttemptView): string {
  const parts: string[] = [];
  if (attempt.error) parts.push(attempt.error);
  if (attempt.nextAttemptAt) parts.push(`next try ${attempt.nextAttemptAt}`);
  if (parts.length === 0 && attempt.response) parts.push(oneLine(attempt.response, 60));
  return parts.join('; ');
}

/** Text on one line, at most `max` characters: an answer excerpt may hold newlines and control characters. */
const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/\p{Cc}+/gu, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
