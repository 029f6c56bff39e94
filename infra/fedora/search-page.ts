import { z } from 'zod';
import { PipelineError } from '../../shared/errors';
import type { ErrorContext } from '../../shared/errors';
import type { SearchPage } from '../../shared/fedora/catch-up';

/**
 * The parts of a `/v2/search` answer the catch-up relies on, checked leniently: unknown fields are allowed
 * everywhere (datagrepper adds `arguments`, `count`, `pages`, and messages carry whatever their schema has),
 * only what paging and dedupe need is required. `sent-at` may be missing or odd on old rows: such a row still
 * counts, it just sorts last in its window.
 */
const rowSchema = z.looseObject({
  id: z.string().min(1),
  headers: z.record(z.string(), z.unknown()).nullish(),
});

const pageSchema = z.looseObject({
  raw_messages: z.array(rowSchema),
  total: z.number().int().nonnegative(),
});

/**
 * Parses a response body. A body that is not JSON or not this shape is a transient failure (a proxy error
 * page, a truncated body): `datagrepper.malformed-response`, naming the request in `context`.
 */
export function parseSearchPage(body: string, context: ErrorContext): SearchPage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw malformed(`not JSON (${body.length} bytes)`, context, error);
  }
  const parsed = pageSchema.safeParse(json);
  if (!parsed.success) throw malformed(z.prettifyError(parsed.error), context, parsed.error);
  // `raw` is the item as received (the parsed copy would be a different object); same index, same item.
  const rawItems = (json as { raw_messages: unknown[] }).raw_messages;
  const rows = parsed.data.raw_messages.map((row, index) => ({
    id: row.id,
    sentAt: sentAtOf(row.headers?.['sent-at']),
    raw: rawItems[index],
  }));
  return { rows, total: parsed.data.total };
}

/** `sent-at` (ISO 8601 with offset, whole seconds) as epoch seconds. */
function sentAtOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function malformed(why: string, context: ErrorContext, cause: unknown): PipelineError {
  const where = typeof context.url === 'string' ? ` from ${context.url}` : '';
  return PipelineError.transient(
    'datagrepper.malformed-response',
    `malformed datagrepper page${where}: ${why}`,
    context,
    cause,
  );
}
