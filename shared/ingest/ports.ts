import type { IngestSource } from '../fedora/ingest-port';
import type { NormalizeOutcome, UpstreamEvent } from '../fedora/upstream-event';

/** Turns one raw message (any serialized form) into an outcome; pure (see shared/fedora). */
export type Normalizer = (message: unknown) => NormalizeOutcome;

/** The `ingest` queue: accepted events, with the Fedora message id as the Service Bus message id. */
export interface EventQueue {
  enqueue(events: readonly UpstreamEvent[]): Promise<void>;
}

/**
 * Every Fedora message id the pipeline accepted, kept beyond the broker's duplicate detection window, so a
 * redelivery days later (a datagrepper re-read, a bridge replay) is still recognised.
 */
export interface IngestLedger {
  /** The ids among `ids` that were accepted before. */
  known(ids: readonly string[]): Promise<Set<string>>;
  /**
   * Records `events` as accepted from `delivery`. Answers the ids that another delivery recorded first: the
   * same message arriving by two sources at once passes `known` twice, and only one of them may be
   * reported accepted.
   */
  record(events: readonly UpstreamEvent[], delivery: Delivery): Promise<Set<string>>;
  /**
   * Notes messages delivered again (one entry per message and source, the latest delivery kept), so that
   * people can see which sources repeat what was already accepted.
   */
  recordDuplicates(duplicates: readonly DuplicateDelivery[]): Promise<void>;
}

export interface Delivery {
  readonly source: IngestSource;
  readonly receivedAt: string;
}

export interface DuplicateDelivery extends Delivery {
  readonly messageId: string;
  readonly topic: string | undefined;
  /** Why it is a duplicate: accepted before, concurrently by another delivery, or repeated in its batch. */
  readonly reason: string;
}

export interface QuarantineEntry {
  readonly receivedAt: string;
  readonly source: IngestSource;
  readonly id: string | undefined;
  readonly topic: string | undefined;
  readonly reason: string;
  readonly path: string;
  /** The message as it arrived; nesting deeper than `MAX_MESSAGE_DEPTH` is cut (`nesting-depth.ts`). */
  readonly message: unknown;
}

/** Rejected messages, kept whole with their reason for people to inspect (and replay once fixed). */
export interface Quarantine {
  keep(entry: QuarantineEntry): Promise<string>;
}

export type { NormalizeOutcome };
