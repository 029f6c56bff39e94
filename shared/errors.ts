import type { ErrorCode, PermanentCode, TransientCode } from './error-codes';

/**
 * The one error type of the pipeline. Every failure carries a stable machine-readable `code` from the catalogue
 * (`error-codes.ts`), whether retrying can help (`retryable`), and `context` naming the place (file, component,
 * field, entity, overlay index, ...). It survives JSON: `PipelineError.fromJSON(JSON.parse(JSON.stringify(err)))`
 * gives an equal error, so a reason can travel in a dead-letter description or a build record and be read back.
 */
export type ErrorContext = Record<string, string | number | boolean | null>;

/** The JSON form. Its `code` is any string: JSON written by another version may carry a code this one lacks. */
export interface PipelineErrorJson {
  name: 'PipelineError';
  code: string;
  message: string;
  retryable: boolean;
  context: ErrorContext;
}

export class PipelineError extends Error {
  override readonly name = 'PipelineError';

  /**
   * For a code whose retryability is decided at run time (a classifier's table, the SDK's flag, a builder's
   * outcome); `permanent` and `transient` check the code against the catalogue and read better elsewhere.
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** A failure that the same input will hit again: dead-letter or record it, never retry. */
  static permanent(
    code: PermanentCode,
    message: string,
    context: ErrorContext = {},
    cause?: unknown,
  ): PipelineError {
    return new PipelineError(code, message, false, context, { cause });
  }

  /** A failure of the surroundings (network, a dependency starting up): retrying later can succeed. */
  static transient(
    code: TransientCode,
    message: string,
    context: ErrorContext = {},
    cause?: unknown,
  ): PipelineError {
    return new PipelineError(code, message, true, context, { cause });
  }

  toJSON(): PipelineErrorJson {
    return {
      name: 'PipelineError',
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      context: this.context,
    };
  }

  /**
   * Reads an error back. A code that is not in this version's catalogue (a stored build record or dead-letter
   * reason from an older one) is kept as written: it equals no catalogue code, and `httpStatusOf` knows none.
   */
  static fromJSON(json: PipelineErrorJson): PipelineError {
    return new PipelineError(json.code as ErrorCode, json.message, json.retryable, json.context);
  }

  static is(value: unknown, code?: ErrorCode): value is PipelineError {
    return value instanceof PipelineError && (code === undefined || value.code === code);
  }
}

/** The message of any thrown value, for logs and reasons. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
