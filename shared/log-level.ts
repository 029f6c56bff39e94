/** The log levels the pipeline knows, least to most severe (`AZL_LOG_LEVEL`, `--log-level`). */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
