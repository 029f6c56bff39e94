import { z } from 'zod';
import { errorContextSchema } from '../../error-context-schema';
import type { MessageFailure } from '../../messaging/message-failures';
import { defineTable, jsonText } from '../table-definition';
import { digestKey } from '../table-keys';

/** A failure's row is the failure; its context (the place, as a PipelineError names it) is one JSON string. */
export const messageFailuresTable = defineTable({
  name: 'messagefailures',
  purpose:
    'why a message could not be handled, kept beside the dead-letter queue under its id; the latest delivery wins',
  partitionKey: 'the Service Bus entity (`builds`, `publish`, …)',
  rowKey: 'digest of the message id (`digestKey`)',
  schema: z.object({
    entity: z.string(),
    messageId: z.string(),
    code: z.string(),
    message: z.string(),
    retryable: z.boolean(),
    context: jsonText(errorContextSchema),
    deliveryCount: z.number().int(),
    at: z.string(),
  }),
  key: (entity: string, messageId: string) => ({ partitionKey: entity, rowKey: digestKey(messageId) }),
  keyOf: (failure: MessageFailure) => ({
    partitionKey: failure.entity,
    rowKey: digestKey(failure.messageId),
  }),
  toColumns: (failure) => ({ ...failure, context: JSON.stringify(failure.context) }),
  fromColumns: (columns): MessageFailure => columns,
});
