import { PipelineError } from '../../shared/errors';
import type {
  Checkpoint,
  CheckpointPort,
  CommitResult,
  StoredCheckpoint,
} from '../../shared/fedora/catch-up';
import type { IngestResult, IngestSink, IngestSource } from '../../shared/fedora/ingest-port';

/**
 * The ingest sink as the catch-up sees it: dedupes by id like the real one (its id ledger lives in Tables and
 * survives runs), so a repeat is `duplicate`. It records every id it was given and every id it accepted.
 * `failOnCall` makes call n queue only the first half of its batch and then throw the retryable error the
 * real sink throws when the queue is unavailable.
 */
export class RecordingSink implements IngestSink {
  readonly received: string[] = [];
  readonly acceptedCount = new Map<string, number>();
  readonly sources = new Set<IngestSource>();
  calls = 0;
  failOnCall: number | undefined;

  async submit(messages: readonly unknown[], source: IngestSource): Promise<IngestResult[]> {
    this.calls += 1;
    this.sources.add(source);
    const failing = this.calls === this.failOnCall;
    const take = failing ? Math.floor(messages.length / 2) : messages.length;
    const results: IngestResult[] = [];
    for (const message of messages.slice(0, take)) {
      const { id, topic } = message as { id: string; topic: string };
      this.received.push(id);
      const seen = this.acceptedCount.has(id);
      if (!seen) this.acceptedCount.set(id, 1);
      results.push({ id, topic, outcome: seen ? 'duplicate' : 'accepted' });
    }
    if (failing) throw PipelineError.transient('servicebus.unavailable', 'queue unavailable', {});
    return results;
  }

  get accepted(): Set<string> {
    return new Set(this.acceptedCount.keys());
  }
}

/** CheckpointPort in memory with version numbers for ETags; `competitor` commits behind the run's back. */
export class MemoryCheckpoints implements CheckpointPort {
  stored: StoredCheckpoint | undefined;
  commits: Checkpoint[] = [];
  private versions = 0;

  constructor(through?: number) {
    if (through !== undefined) this.stored = { checkpoint: { through }, version: this.nextVersion() };
  }

  async read(): Promise<StoredCheckpoint | undefined> {
    return this.stored;
  }

  async commit(next: Checkpoint, expectedVersion: string | undefined): Promise<CommitResult> {
    if (this.stored?.version !== expectedVersion) return { committed: false };
    this.stored = { checkpoint: next, version: this.nextVersion() };
    this.commits.push(next);
    return { committed: true, version: this.stored.version };
  }

  /** Another run moved the checkpoint. */
  competitor(through: number): void {
    this.stored = { checkpoint: { through }, version: this.nextVersion() };
  }

  get through(): number | undefined {
    return this.stored?.checkpoint.through;
  }

  private nextVersion(): string {
    this.versions += 1;
    return `v${this.versions}`;
  }
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}
