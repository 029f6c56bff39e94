/**
 * Structured logging: one JSON object per line on stderr (stdout stays free for command output).
 * Loggers are cheap to derive: `logger.child({ messageId })` binds fields to every line after it.
 */
import type { LogLevel } from '../../shared/log-level';
import type { LogFields, Logger } from '../../shared/logger';

export type LogSink = (line: string) => void;

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLoggerOptions {
  readonly level?: LogLevel;
  readonly sink?: LogSink;
  readonly bindings?: LogFields;
}

export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const minimum = levelRank[options.level ?? 'info'];
  const sink = options.sink ?? ((line: string) => process.stderr.write(`${line}\n`));
  const bindings = options.bindings ?? {};
  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (levelRank[level] < minimum) return;
    sink(
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        msg: message,
        ...bindings,
        ...jsonLogFields(fields),
      }),
    );
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (more) => createJsonLogger({ ...options, bindings: { ...bindings, ...more } }),
  };
}

/** The fields as a log line holds them: errors are not JSON-friendly by default; keep their code, message and context. */
export function jsonLogFields(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? errorFields(value) : value;
  }
  return out;
}

function errorFields(error: Error): LogFields {
  const withJson = error as Error & { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return withJson.toJSON() as LogFields;
  return { name: error.name, message: error.message };
}
