import type { DiagLogger } from '@opentelemetry/api';
import type { Logger } from '../../shared/logger';

/** Export trouble is said at most once per this period (the count of what was not said comes with it). */
export const EXPORT_WARNING_PERIOD_MS = 5 * 60_000;

export interface ExportWarningOptions {
  readonly periodMs?: number;
  readonly now?: () => number;
}

/** Where export trouble is reported; it decides what is said. */
export interface ExportWarner {
  report(problem: string): void;
}

/**
 * Export trouble (an ingestion endpoint that is down, throttling with 429/503, a TLS failure, items the
 * endpoint refused, what the SDK itself reports at WARN and ERROR) becomes one `telemetry: export failing`
 * warning per period on the pipeline's logger, with how many reports it stands for and the latest one.
 * Telemetry is dropped meanwhile (or parked on disk by the exporter's offline storage, where enabled): the
 * exporter works in the background and never fails or waits for a function, and a flood of identical lines
 * would bury the pipeline's own logs.
 */
export function exportWarner(logger: Logger, options: ExportWarningOptions = {}): ExportWarner {
  const periodMs = options.periodMs ?? EXPORT_WARNING_PERIOD_MS;
  const now = options.now ?? Date.now;
  let lastSaid: number | undefined;
  let unsaid = 0;
  return {
    report: (problem) => {
      unsaid += 1;
      const at = now();
      if (lastSaid !== undefined && at - lastSaid < periodMs) return;
      lastSaid = at;
      logger.warn('telemetry: export failing; telemetry is being dropped', {
        reports: unsaid,
        periodMinutes: Math.round(periodMs / 60_000),
        latest: problem.slice(0, 500),
      });
      unsaid = 0;
    },
  };
}

/** The OpenTelemetry diagnostic logger over a warner: WARN and ERROR reported, the rest ignored. */
export function diagnosticsTo(warner: ExportWarner): DiagLogger {
  const ignore = (): void => undefined;
  return {
    error: (message, ...args) => warner.report(describe('error', message, args)),
    warn: (message, ...args) => warner.report(describe('warn', message, args)),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
}

/** The report as one short line: its message and the first error's message, never a whole object dump. */
function describe(level: string, message: string, args: unknown[]): string {
  const detail = args
    .flat()
    .map((arg) => (arg instanceof Error ? arg.message : typeof arg === 'string' ? arg : undefined))
    .find((text) => text !== undefined && text !== '');
  return `${level}: ${message}${detail ? ` (${detail})` : ''}`;
}
