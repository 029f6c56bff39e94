import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { describeError } from '../shared/errors';
import {
  datagrepperV1RecordSchema,
  datagrepperV2MessageSchema,
  fedoraMessagingMessageSchema,
} from '../shared/fedora/envelope-forms';
import { ingestResultSchema } from '../shared/fedora/ingest-port';
import { invocationLogger } from './invocation-logger';
import { problem, unavailable } from './problem';
import type { ServicesProvider } from '../shared/services';
import type { HttpFunction } from './table';
import type { BodyOf } from '../shared/schema-matches';

/** The largest body accepted: Fedora messages are small; a batch of them up to 1 MiB. */
export const MAX_INGEST_BODY_BYTES = 1024 * 1024;

/** One Fedora message in any of its serialized forms (`shared/fedora/envelope-forms.ts`). */
export const fedoraMessageSchema = z
  .union([fedoraMessagingMessageSchema, datagrepperV2MessageSchema, datagrepperV1RecordSchema])
  .describe('a Fedora message: fedora-messaging wire form, datagrepper v2 item or datagrepper v1 record');

/** The body of `POST /api/fedora/messages`: one message or an array of them. */
export const ingestRequestSchema = z.union([fedoraMessageSchema, z.array(fedoraMessageSchema)]);

/** The 202 answer: how many messages were read and each one's outcome, in order. */
export const ingestAnswerSchema = z.object({
  received: z.int().min(0),
  results: z.array(ingestResultSchema),
});

/**
 * `POST /api/fedora/messages`: one Fedora message or an array of them, in any of the three serialized forms
 * (fedora-messaging wire, datagrepper v2, datagrepper v1). Answers 202 with each message's outcome
 * (accepted / duplicate / ignored / rejected and why); 400 for a body that is not JSON; 413 past 1 MiB;
 * 503 when the pipeline could not queue them (nothing was lost: send them again).
 */
export function fedoraIngestFunction(services: ServicesProvider): HttpFunction {
  return {
    kind: 'http',
    name: 'fedoraIngest',
    route: 'fedora/messages',
    methods: ['POST'],
    authLevel: 'function',
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const declared = Number(request.headers.get('content-length') ?? '0');
      if (declared > MAX_INGEST_BODY_BYTES) return tooLarge();
      const bytes = Buffer.from(await request.arrayBuffer());
      if (bytes.length > MAX_INGEST_BODY_BYTES) return tooLarge();
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch (error) {
        return problem(400, 'ingest.invalid-json', `the body is not JSON: ${describeError(error)}`);
      }
      const messages = Array.isArray(parsed) ? parsed : [parsed];
      const { ingest, logger } = await services();
      try {
        const results = await ingest.submit(messages, 'http');
        const answer: BodyOf<typeof ingestAnswerSchema> = { received: messages.length, results };
        return { status: 202, jsonBody: answer };
      } catch (error) {
        invocationLogger(logger, context).error('ingest failed', { messages: messages.length, error });
        const retryLater = unavailable(error, 30, '; nothing was queued, send again');
        if (retryLater) return retryLater;
        throw error;
      }
    },
  };
}

const tooLarge = (): HttpResponseInit =>
  problem(
    413,
    'ingest.too-large',
    `the body is larger than ${MAX_INGEST_BODY_BYTES} bytes; send fewer messages at a time`,
  );
