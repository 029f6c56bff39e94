/**
 * The structured-logging port: a fixed message plus a metadata object, so a log store can group lines by
 * message and query their fields. `child` binds fields (a message id, a component) to every line after it.
 * The JSON-lines implementation is `infra/telemetry/logger.ts`.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

const drop = (): void => undefined;

/** A logger that drops everything, for callers (and tests) that do not look at logs. */
export const silentLogger: Logger = {
  debug: drop,
  info: drop,
  warn: drop,
  error: drop,
  child: () => silentLogger,
};
