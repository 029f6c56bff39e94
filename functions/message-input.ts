import type { z } from 'zod';
import { PipelineError } from '../shared/errors';
import type { MessageFailureLog } from '../shared/messaging/message-failures';
import { parseMessageBody } from './message-body';
import type { MessageMetadata } from './message-metadata';

/**
 * The body of a Service Bus trigger's message, parsed with `schema`. When it does not fit, the reason is
 * recorded in the failure log under the message id before the error is thrown, so the message that the
 * broker will dead-letter after its last delivery can be explained.
 */
export async function readMessage<S extends z.ZodType>(
  schema: S,
  body: unknown,
  place: MessageMetadata & { readonly entity: string },
  failures: MessageFailureLog,
): Promise<z.infer<S>> {
  const { entity, messageId, deliveryCount } = place;
  try {
    return parseMessageBody(schema, body, { entity, messageId });
  } catch (error) {
    if (PipelineError.is(error)) {
      await failures.record({
        entity,
        messageId,
        code: error.code,
        message: error.message,
        retryable: error.retryable,
        context: error.context,
        deliveryCount,
        at: new Date().toISOString(),
      });
    }
    throw error;
  }
}
