import { z } from 'zod';
import { describes } from '../schema-matches';

/**
 * Where every source of Fedora messages (HTTP ingest, datagrepper catch-up, the AMQP bridge) hands them in.
 * Messages are raw, in any of the three serialized forms. The sink normalizes, deduplicates, quarantines
 * rejects and queues accepted events; it resolves only once every accepted event is durably queued, and
 * throws a retryable PipelineError when it could not (then the caller must not move its checkpoint or ack).
 */
export const ingestOutcomes = ['accepted', 'duplicate', 'ignored', 'rejected'] as const;
export type IngestOutcome = (typeof ingestOutcomes)[number];

export interface IngestResult {
  readonly id: string | undefined;
  readonly topic: string | undefined;
  readonly outcome: IngestOutcome;
  readonly reason?: string;
}

/** `IngestResult` as `POST /api/fedora/messages` answers it. */
export const ingestResultSchema = describes<IngestResult>()(
  z.object({
    id: z.string().optional().describe("the message's id (absent when it has none)"),
    topic: z.string().optional(),
    outcome: z.enum(ingestOutcomes),
    reason: z.string().optional().describe('why it was not accepted'),
  }),
);

export interface IngestSink {
  submit(messages: readonly unknown[], source: IngestSource): Promise<IngestResult[]>;
}

export type IngestSource = 'http' | 'datagrepper' | 'amqp-bridge' | 'replay';
