import type { Checkpoint } from './checkpoint';
import type { IngestOutcome } from '../ingest-port';

/**
 * Why a run that did not throw ended: `caught-up` (read up to now − lag), `span-limit` (the backlog is longer
 * than one run may read; the next run continues), `time-budget` (`maxRunMs` spent), `lost-race` (another run
 * moved the checkpoint first; this one stopped without error).
 */
export type CatchUpEnd = 'caught-up' | 'span-limit' | 'time-budget' | 'lost-race';

/** Running counts of one catch-up run. */
export interface CatchUpTally {
  /** Windows read completely, handed over and committed (or already behind the checkpoint: the overlap). A cut window counts as its parts. */
  windows: number;
  /** Distinct messages in those windows (the overlap with the previous run included). */
  messages: number;
  /** Messages handed to the sink: `messages` less ids this run had already handed over. */
  submitted: number;
  /** What the sink said about them. */
  outcomes: Record<IngestOutcome, number>;
  /** HTTP requests, retries included. */
  requests: number;
}

export interface CatchUpResult extends Readonly<CatchUpTally> {
  readonly checkpointBefore: Checkpoint | undefined;
  readonly checkpointAfter: Checkpoint | undefined;
  readonly ended: CatchUpEnd;
  /** Seconds from `checkpointAfter` to now − lag: how far behind the run left the catch-up. */
  readonly behindSeconds: number;
}

export function emptyTally(): CatchUpTally {
  return {
    windows: 0,
    messages: 0,
    submitted: 0,
    outcomes: { accepted: 0, duplicate: 0, ignored: 0, rejected: 0 },
    requests: 0,
  };
}
