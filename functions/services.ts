import type { Logger } from '../infra/telemetry/logger';
import type { IngestSink } from '../shared/fedora/ingest-port';
import type { CatchUpResult } from '../infra/fedora';

/**
 * What handlers need from the outside world, as ports. The Azure entry (`functions/index.ts`) builds them
 * from app settings; the local host and tests build them from local endpoints or fakes.
 */
export interface DependencyProbe {
  readonly name: string;
  /** Resolves with a short detail when the dependency answers; rejects with the reason when it does not. */
  check(signal: AbortSignal): Promise<string | undefined>;
}

export interface Services {
  readonly logger: Logger;
  readonly dependencies: readonly DependencyProbe[];
  /** Where Fedora messages go in (normalize, deduplicate, quarantine, queue). */
  readonly ingest: IngestSink;
  /** One datagrepper catch-up run into `ingest`; absent when the catch-up is switched off. */
  readonly catchUp?: () => Promise<CatchUpResult>;
}

/** Built lazily, once, on the first invocation (the Functions host imports the app before settings matter). */
export type ServicesProvider = () => Promise<Services>;
