import type { IngestResult, IngestSink, IngestSource } from '../fedora/ingest-port';
import type { UpstreamEvent } from '../fedora/upstream-event';
import { cutDeeperThan, MAX_MESSAGE_DEPTH } from '../fedora/nesting-depth';
import type { PipelineTelemetry } from '../telemetry/pipeline-telemetry';
import type { EventQueue, IngestLedger, Normalizer, Quarantine } from './ports';

export interface IngestServiceDeps {
  readonly normalize: Normalizer;
  readonly queue: EventQueue;
  readonly ledger: IngestLedger;
  readonly quarantine: Quarantine;
  /** Counts every message by outcome, source and topic family; `submit` runs in an `ingest` span. */
  readonly telemetry: PipelineTelemetry;
  readonly clock?: () => Date;
}

/**
 * The one way in for Fedora messages. Each message is normalized; a rejected one is quarantined whole with
 * its reason; an ignored one is reported with its reason; an accepted one is queued unless its id was
 * accepted before (in this batch, in the ledger) or by a concurrent delivery that recorded it first: then it
 * is a `duplicate`, noted in the ledger with its source. Accepted events are queued before they are
 * recorded, so a failure in between can only lead to a re-send, and a concurrent delivery only to a second
 * send: the queue's duplicate detection absorbs both. Failures of the queue or the stores propagate
 * (retryable): nothing is reported accepted that was not queued.
 */
export class IngestService implements IngestSink {
  constructor(private readonly deps: IngestServiceDeps) {}

  submit(messages: readonly unknown[], source: IngestSource): Promise<IngestResult[]> {
    const attributes = { 'azl.ingest.source': source, 'messaging.batch.message_count': messages.length };
    return this.deps.telemetry.span('ingest', attributes, async (span) => {
      const results = await this.submitAll(messages, source);
      const accepted = results.filter((r) => r.outcome === 'accepted');
      span.annotate({
        'azl.ingest.accepted': accepted.length,
        ...(accepted.length === 1 ? { 'messaging.message.id': accepted[0]?.id } : {}),
      });
      return results;
    });
  }

  private async submitAll(messages: readonly unknown[], source: IngestSource): Promise<IngestResult[]> {
    const outcomes = messages.map((message) => this.deps.normalize(message));
    const accepted = new Map<string, UpstreamEvent>();
    const results: IngestResult[] = [];
    const now = (this.deps.clock ?? (() => new Date()))().toISOString();

    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.outcome === 'rejected') {
        const { id, topic, reason, path } = outcome;
        await this.deps.quarantine.keep({
          receivedAt: now,
          source,
          id,
          topic,
          reason,
          path,
          // Kept as it arrived, but a hostile nesting only down to where the walks that read it are safe.
          message: keptCopyOf(messages[index]),
        });
        results.push({ id, topic, outcome: 'rejected', reason: path ? `${reason} (at ${path})` : reason });
      } else if (outcome.outcome === 'ignored') {
        results.push({ id: outcome.id, topic: outcome.topic, outcome: 'ignored', reason: outcome.reason });
      } else if (accepted.has(outcome.id)) {
        results.push({
          id: outcome.id,
          topic: outcome.topic,
          outcome: 'duplicate',
          reason: 'repeated in this batch',
        });
      } else {
        accepted.set(outcome.id, outcome.event);
        results.push({ id: outcome.id, topic: outcome.topic, outcome: 'accepted' });
      }
    }

    const known = await this.deps.ledger.known([...accepted.keys()]);
    const fresh = [...accepted.values()].filter((event) => !known.has(event.messageId));
    let raced = new Set<string>();
    if (fresh.length > 0) {
      await this.deps.queue.enqueue(fresh);
      raced = await this.deps.ledger.record(fresh, { source, receivedAt: now });
    }
    const duplicateReason = (id: string): string | undefined =>
      known.has(id)
        ? 'accepted before'
        : raced.has(id)
          ? 'accepted concurrently by another delivery'
          : undefined;
    const final = results.map((result) => {
      const reason = result.outcome === 'accepted' && result.id !== undefined && duplicateReason(result.id);
      return reason ? { ...result, outcome: 'duplicate' as const, reason } : result;
    });
    const duplicates = final.flatMap((result) =>
      result.outcome === 'duplicate' && result.id !== undefined
        ? [
            {
              messageId: result.id,
              topic: result.topic,
              source,
              receivedAt: now,
              reason: result.reason ?? '',
            },
          ]
        : [],
    );
    if (duplicates.length > 0) await this.deps.ledger.recordDuplicates(duplicates);
    this.countAll(final, source);
    return final;
  }

  private countAll(results: readonly IngestResult[], source: IngestSource): void {
    const tally = new Map<
      string,
      { outcome: IngestResult['outcome']; topic: string | undefined; n: number }
    >();
    for (const { outcome, topic } of results) {
      const key = `${outcome}\n${topic ?? ''}`;
      const entry = tally.get(key) ?? { outcome, topic, n: 0 };
      tally.set(key, { ...entry, n: entry.n + 1 });
    }
    for (const { outcome, topic, n } of tally.values())
      this.deps.telemetry.messagesIngested(outcome, source, topic, n);
  }
}

/**
 * What the quarantine keeps of a rejected message: the message, with a hostile nesting cut below
 * `MAX_MESSAGE_DEPTH` so that the walks that read it back cannot overflow the stack. An object that cannot be
 * walked (a throwing getter) is kept as it is, for the quarantine to report.
 */
function keptCopyOf(message: unknown): unknown {
  try {
    return cutDeeperThan(message, MAX_MESSAGE_DEPTH);
  } catch {
    return message;
  }
}
