import { z } from 'zod';
import { errorContextSchema } from '../error-context-schema';
import { describes } from '../schema-matches';

/**
 * Why a message could not be handled, kept beside the dead-letter queue. The Functions host settles a
 * message by the handler's outcome only (a throw abandons it; after the entity's max delivery count the broker
 * dead-letters it as `MaxDeliveryCountExceeded`), so the pipeline's own reason, with its code and the place,
 * is recorded here under the message id for the status API and for people reading the dead-letter queue.
 */
export interface MessageFailure {
  readonly entity: string;
  readonly messageId: string;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly context: Readonly<Record<string, string | number | boolean | null>>;
  readonly deliveryCount: number;
  readonly at: string;
}

export interface MessageFailureLog {
  record(failure: MessageFailure): Promise<void>;
}

/** `MessageFailure` as the status API answers it (`GET /api/failures`). */
export const messageFailureSchema = describes<MessageFailure>()(
  z.object({
    entity: z.string().describe('the queue, or `<topic>/<subscription>`'),
    messageId: z.string(),
    code: z.string(),
    message: z.string(),
    retryable: z.boolean(),
    context: errorContextSchema,
    deliveryCount: z.int().min(0),
    at: z.string(),
  }),
);
