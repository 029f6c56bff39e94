import type { IngestResult, IngestSink, IngestSource } from '../../shared/fedora/ingest-port';

/** An IngestSink that records what it was given; `behaviour` can fail or delay a submit. */
export class RecordingSink implements IngestSink {
  readonly calls: unknown[] = [];
  readonly taken: Array<Record<string, unknown>> = [];

  constructor(
    private readonly behaviour: (
      record: Record<string, unknown>,
      call: number,
    ) => Promise<void> = async () => {},
  ) {}

  async submit(messages: readonly unknown[], source: IngestSource): Promise<IngestResult[]> {
    if (source !== 'amqp-bridge') throw new Error(`unexpected source ${source}`);
    const results: IngestResult[] = [];
    for (const message of messages) {
      const record = message as Record<string, unknown>;
      this.calls.push(record);
      await this.behaviour(record, this.calls.length);
      this.taken.push(record);
      const id = typeof record.id === 'string' ? record.id : undefined;
      const topic = typeof record.topic === 'string' ? record.topic : undefined;
      results.push(
        'bridgeProblem' in record
          ? { id, topic, outcome: 'rejected', reason: 'unparsable' }
          : { id, topic, outcome: 'accepted' },
      );
    }
    return results;
  }

  takenIds(): unknown[] {
    return this.taken.map((record) => record.id);
  }
}
