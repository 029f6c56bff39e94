import type { z } from 'zod';
import { PipelineError } from '../shared/errors';

/**
 * Parses a Service Bus message body with its schema. A body that does not fit is a permanent
 * `message.invalid` naming the queue and the first offending path: retrying cannot help, and the message
 * ends in the dead-letter queue once its deliveries are spent, with this error logged for each.
 */
export function parseMessageBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
  place: { readonly entity: string; readonly messageId?: string },
): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data as z.infer<S>;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw PipelineError.permanent(
    'message.invalid',
    `the ${place.entity} message does not fit its schema: ${issue?.message ?? 'invalid'}${path ? ` (at ${path})` : ''}`,
    { entity: place.entity, messageId: place.messageId ?? null, path },
  );
}
