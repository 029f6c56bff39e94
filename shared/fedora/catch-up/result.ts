import { z } from 'zod';
import type { Checkpoint } from './checkpoint';
import type { IngestOutcome } from '../ingest-port';
import { describes } from '../../schema-matches';

/**
 * Why a run that did not throw ended: `caught-up` (read up to now − lag), `span-limit` (the backlog is longer
 * than one run may read; the next run continues), `time-budget` (`maxRunMs` spent), `lost-race` (another run
 * moved the checkpoint first; this one stopped without error).
 */
export const catchUpEnds = ['caught-up', 'span-limit', 'time-budget', 'lost-race'] as const;
export type CatchUpEnd = (typeof catchUpEnds)[number];

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

const checkpointSchema = z
  .object({ through: z.int().min(0) })
  .describe('messages up to this Unix time (seconds) are caught up');

/** `CatchUpResult` as `POST /api/fedora/catch-up` answers it. */
export const catchUpResultSchema = describes<CatchUpResult>()(
  z.object({
    windows: z.int().min(0),
    messages: z.int().min(0),
    submitted: z.int().min(0),
    outcomes: z.object({
      accepted: z.int().min(0),
      duplicate: z.int().min(0),
      ignored: z.int().min(0),
      rejected: z.int().min(0),
    }),
    requests: z.int().min(0).describe('HTTP requests to datagrepper, retries included'),
    checkpointBefore: checkpointSchema.optional(),
    checkpointAfter: checkpointSchema.optional(),
    ended: z.enum(catchUpEnds),
    behindSeconds: z.number().describe('how far behind now − lag the run left the catch-up'),
  }),
);

export function emptyTally(): CatchUpTally {
  return {
    windows: 0,
    messages: 0,
    submitted: 0,
    outcomes: { accepted: 0, duplicate: 0, ignored: 0, rejected: 0 },
    requests: 0,
  };
}
