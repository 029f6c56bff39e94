import { z } from 'zod';
import { PipelineError } from '../../errors';

const seconds = z.number().int().nonnegative();
const positive = z.number().int().positive();

/**
 * The knobs of a datagrepper catch-up run, with their defaults. All times are in seconds except `maxRunMs`.
 * Unknown keys are refused so that a misspelt option fails loudly instead of silently taking the default.
 */
export const catchUpOptionsSchema = z
  .object({
    /** Read only up to now − lag: datanommer stores messages a little after they are sent. */
    lagSeconds: seconds.default(60),
    /** Each run re-reads this much before the checkpoint, for messages that reached datagrepper late. */
    overlapSeconds: seconds.default(900),
    /** Without a checkpoint, start this far before now − lag instead of reading all of history. */
    firstRunBackfillSeconds: positive.default(6 * 3600),
    /** At most this many seconds past the checkpoint per run; a longer backlog continues in the next runs. */
    maxSpanPerRunSeconds: positive.default(6 * 3600),
    /** The size of the windows a run starts with (each window is one checkpoint step). */
    windowSeconds: positive.default(600),
    /** A window whose `total` exceeds this is cut into smaller windows (one-second windows excepted). */
    maxWindowRows: positive.default(2000),
    /** datagrepper refuses more than 100 rows per page. */
    rowsPerPage: positive.max(100).default(100),
    /** Read a window at most this many times until its unique rows add up to `total`. */
    maxPassesPerWindow: positive.default(6),
    /** A window's messages go to the sink in batches of at most this many. */
    submitBatchSize: positive.default(500),
    /** Start no new window after this much wall time (the caller's function timeout must be longer). */
    maxRunMs: positive.default(240_000),
    /** datagrepper `topic` filters (OR); none: every topic. */
    topics: z.array(z.string().min(1)).default([]),
    /** datagrepper `category` filters (OR, AND-ed with topics); none: every category. */
    categories: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .refine((o) => o.maxWindowRows >= o.rowsPerPage, {
    message: 'maxWindowRows must be at least rowsPerPage',
    path: ['maxWindowRows'],
  });

/** What a caller may pass: any subset of the options. */
export type CatchUpOptions = z.input<typeof catchUpOptionsSchema>;
/** Every option resolved to a value. */
export type CatchUpSettings = Readonly<z.output<typeof catchUpOptionsSchema>>;

export function resolveCatchUpOptions(options: CatchUpOptions = {}): CatchUpSettings {
  const parsed = catchUpOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw PipelineError.permanent(
      'catch-up.invalid-options',
      `invalid catch-up options: ${z.prettifyError(parsed.error)}`,
      { issues: parsed.error.issues.map((issue) => issue.path.join('.')).join(',') },
    );
  }
  return parsed.data;
}
