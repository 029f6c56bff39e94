import { PipelineError } from '../../errors';
import { describeWindow, spanOf, splitWindow } from './time-window';
import { WindowRows } from './window-rows';
import type { CatchUpRow } from './window-rows';
import type { CatchUpSettings } from './options';
import type { TimeWindow } from './time-window';
import type { Logger } from '../../logger';
import type { DatagrepperSearch } from './history-search';

export type WindowRead =
  | {
      readonly kind: 'split';
      readonly parts: TimeWindow[];
      readonly total: number;
      readonly requests: number;
    }
  | {
      readonly kind: 'complete';
      /** Distinct rows in time order. */
      readonly rows: CatchUpRow[];
      readonly total: number;
      readonly passes: number;
      readonly requests: number;
    };

type ReaderSettings = Pick<
  CatchUpSettings,
  'rowsPerPage' | 'maxWindowRows' | 'maxPassesPerWindow' | 'topics' | 'categories'
>;

/**
 * Reads one window completely, or says how to cut it when datagrepper counts more than `maxWindowRows` rows in
 * it (known from the first page, before reading the rest). A pass reads pages 1..⌈total/rowsPerPage⌉ (the
 * largest `total` seen so far); passes repeat until the distinct rows add up to `total`, because OFFSET paging
 * over equal one-second timestamps repeats and skips rows while rows land in them. When `maxPassesPerWindow`
 * passes are not enough: `datagrepper.incomplete-window` (retryable: the burst will have settled later).
 */
export async function readWindow(
  search: DatagrepperSearch,
  window: TimeWindow,
  settings: ReaderSettings,
  logger: Logger,
): Promise<WindowRead> {
  const rows = new WindowRows();
  const query = {
    window,
    rowsPerPage: settings.rowsPerPage,
    topics: settings.topics,
    categories: settings.categories,
  };
  let requests = 0;
  for (let pass = 1; pass <= settings.maxPassesPerWindow; pass += 1) {
    for (let page = 1; page <= Math.max(1, Math.ceil(rows.total / settings.rowsPerPage)); page += 1) {
      const result = await search.search({ ...query, page });
      requests += result.requests;
      if (pass === 1 && page === 1 && result.total > settings.maxWindowRows && spanOf(window) > 1) {
        const parts = splitWindow(window, result.total, settings.maxWindowRows);
        return { kind: 'split', parts, total: result.total, requests };
      }
      rows.addPage(result.rows, result.total);
    }
    if (rows.isComplete()) {
      return { kind: 'complete', rows: rows.ordered(), total: rows.total, passes: pass, requests };
    }
    logger.debug('datagrepper window read incomplete, reading it again', {
      window: describeWindow(window),
      pass,
      distinct: rows.distinct,
      total: rows.total,
    });
  }
  throw PipelineError.transient(
    'datagrepper.incomplete-window',
    `datagrepper window ${describeWindow(window)}: ${rows.distinct} distinct rows of ${rows.total} after ${settings.maxPassesPerWindow} reads`,
    {
      window: describeWindow(window),
      from: window.from,
      to: window.to,
      distinct: rows.distinct,
      total: rows.total,
      passes: settings.maxPassesPerWindow,
    },
  );
}
