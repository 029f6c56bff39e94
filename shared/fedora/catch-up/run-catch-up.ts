import { advanceCheckpoint } from './checkpoint';
import { batches, freshRows } from './dedupe';
import { describeWindow } from './time-window';
import { planCatchUp } from './plan';
import { resolveCatchUpOptions } from './options';
import type { CatchUpOptions } from './options';
import type { CatchUpRow } from './window-rows';
import type { CheckpointPort } from './checkpoint';
import type { IngestSink } from '../ingest-port';
import { silentLogger } from '../../logger';
import type { Logger } from '../../logger';
import { emptyTally } from './result';
import type { CatchUpEnd, CatchUpResult, CatchUpTally } from './result';
import type { DatagrepperSearch } from './history-search';
import { readWindow } from './window-reader';

export interface CatchUpDependencies {
  readonly client: DatagrepperSearch;
  readonly checkpoints: CheckpointPort;
  readonly sink: IngestSink;
  /** Default: the system clock. Decides the horizon (now − lag) and the run's time budget. */
  readonly clock?: () => Date;
  readonly options?: CatchUpOptions;
  readonly logger?: Logger;
}

/**
 * One catch-up run (research §3.5): plan windows from the durable checkpoint, read each one completely, hand
 * its new messages to the sink in time order, and only once `submit` resolved commit the checkpoint to the
 * window's end (conditionally: see `CheckpointPort`). Any failure — datagrepper down after retries, a
 * malformed page, a window that would not add up, the sink unable to queue — ends the run by throwing that
 * PipelineError: windows committed before it stay committed, the failed one is read again next run.
 */
export async function runCatchUp(deps: CatchUpDependencies): Promise<CatchUpResult> {
  const settings = resolveCatchUpOptions(deps.options);
  const clock = deps.clock ?? (() => new Date());
  const logger = (deps.logger ?? silentLogger).child({ component: 'datagrepper-catch-up' });
  const startedAt = clock();
  const stored = await deps.checkpoints.read();
  const plan = planCatchUp(stored?.checkpoint, startedAt, settings);
  const pending = [...plan.windows];
  const tally = emptyTally();
  const handedOver = new Set<string>();
  let current = stored?.checkpoint;
  let version = stored?.version;
  let ended: CatchUpEnd = plan.to < plan.horizon ? 'span-limit' : 'caught-up';
  const progress = () => ({
    ...tally,
    checkpointBefore: stored?.checkpoint.through,
    checkpoint: current?.through,
  });

  try {
    for (let window = pending.shift(); window !== undefined; window = pending.shift()) {
      if (clock().getTime() - startedAt.getTime() >= settings.maxRunMs) {
        ended = 'time-budget';
        break;
      }
      const read = await readWindow(deps.client, window, settings, logger);
      tally.requests += read.requests;
      if (read.kind === 'split') {
        logger.debug('window too large, cut', { window: describeWindow(window), total: read.total });
        pending.unshift(...read.parts);
        continue;
      }
      const fresh = freshRows(read.rows, handedOver);
      await submit(deps.sink, fresh, settings.submitBatchSize, tally);
      for (const row of fresh) handedOver.add(row.id);
      const next = advanceCheckpoint(current, window.to);
      if (next !== current) {
        const commit = await deps.checkpoints.commit(next, version);
        if (!commit.committed) {
          ended = 'lost-race';
          logger.warn('another catch-up run moved the checkpoint first; this run stops', {
            ...progress(),
            window: describeWindow(window),
          });
          break;
        }
        current = next;
        version = commit.version;
      }
      tally.windows += 1;
      tally.messages += read.rows.length;
    }
  } catch (error) {
    logger.error('catch-up run failed; the checkpoint stays after the last completed window', {
      ...progress(),
      error,
    });
    throw error;
  }
  const behindSeconds = Math.max(0, plan.horizon - (current?.through ?? plan.horizon));
  logger.info('catch-up run finished', { ...progress(), ended, behindSeconds });
  return { ...tally, checkpointBefore: stored?.checkpoint, checkpointAfter: current, ended, behindSeconds };
}

/** Hands rows to the sink in batches; throws whatever the sink throws (then nothing may be committed). */
async function submit(sink: IngestSink, rows: CatchUpRow[], batchSize: number, tally: CatchUpTally) {
  for (const batch of batches(rows, batchSize)) {
    const results = await sink.submit(
      batch.map((row) => row.raw),
      'datagrepper',
    );
    for (const result of results) tally.outcomes[result.outcome] += 1;
    tally.submitted += batch.length;
  }
}
