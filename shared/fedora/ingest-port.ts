/**
 * Where every source of Fedora messages (HTTP ingest, datagrepper catch-up, the AMQP bridge) hands them in.
 * Messages are raw, in any of the three serialized forms. The sink normalizes, deduplicates, quarantines
 * rejects and queues accepted events; it resolves only once every accepted event is durably queued, and
 * throws a retryable PipelineError when it could not (then the caller must not move its checkpoint or ack).
 */
export type IngestOutcome = 'accepted' | 'duplicate' | 'ignored' | 'rejected';

export interface IngestResult {
  readonly id: string | undefined;
  readonly topic: string | undefined;
  readonly outcome: IngestOutcome;
  readonly reason?: string;
}

export interface IngestSink {
  submit(messages: readonly unknown[], source: IngestSource): Promise<IngestResult[]>;
}

export type IngestSource = 'http' | 'datagrepper' | 'amqp-bridge' | 'replay';
