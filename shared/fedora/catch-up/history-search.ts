/**
 * The port to Fedora's message history (datagrepper's `/v2/search`): one page of one window at a time. The
 * HTTP client is `infra/fedora/datagrepper-client.ts`; tests and benchmarks answer with a fake.
 */
import type { TimeWindow } from './time-window';
import type { CatchUpRow } from './window-rows';

/** One `/v2/search` request: a window, a page of it, and the topic/category filters. */
export interface SearchQuery {
  readonly window: TimeWindow;
  /** 1-based. */
  readonly page: number;
  readonly rowsPerPage: number;
  readonly topics?: readonly string[];
  readonly categories?: readonly string[];
}

export interface SearchPage {
  readonly rows: CatchUpRow[];
  /** Rows datagrepper counted for the whole query (all pages), at the time of this request. */
  readonly total: number;
}

export interface SearchResult extends SearchPage {
  /** HTTP requests this page took, retries included. */
  readonly requests: number;
}

/** What the catch-up needs from datagrepper (tests may stand in their own). */
export interface DatagrepperSearch {
  search(query: SearchQuery): Promise<SearchResult>;
}
