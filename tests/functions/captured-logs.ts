import { createJsonLogger } from '../../infra/telemetry/logger';
import type { Logger } from '../../shared/logger';

/** One line of the JSON logger, parsed back: `level`, `msg`, `time`, the bound fields and the line's own. */
export type LogLine = Record<string, unknown> & { readonly level: string; readonly msg: string };

/** The JSON logger the app composes, writing into `lines` instead of stderr (from debug up). */
export function capturedLogs(): { readonly logger: Logger; readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createJsonLogger({
    level: 'debug',
    sink: (line) => lines.push(JSON.parse(line) as LogLine),
  });
  return { logger, lines };
}
