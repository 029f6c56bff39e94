/**
 * The one error type of the pipeline. Every failure carries a stable machine-readable `code`, whether retrying
 * can help (`retryable`), and `context` naming the place (file, component, field, entity, overlay index, ...).
 * It survives JSON: `PipelineError.fromJSON(JSON.parse(JSON.stringify(err)))` gives an equal error, so a
 * reason can travel in a dead-letter description or a build record and be read back.
 */
export type ErrorContext = Record<string, string | number | boolean | null>;

export interface PipelineErrorJson {
  name: 'PipelineError';
  code: string;
  message: string;
  retryable: boolean;
  context: ErrorContext;
}

export class PipelineError extends Error {
  override readonly name = 'PipelineError';

  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** A failure that the same input will hit again: dead-letter or record it, never retry. */
  static permanent(
    code: string,
    message: string,
    context: ErrorContext = {},
    cause?: unknown,
  ): PipelineError {
    return new PipelineError(code, message, false, context, { cause });
  }

  /** A failure of the surroundings (network, a dependency starting up): retrying later can succeed. */
  static transient(
    code: string,
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

  static fromJSON(json: PipelineErrorJson): PipelineError {
    return new PipelineError(json.code, json.message, json.retryable, json.context);
  }

  static is(value: unknown, code?: string): value is PipelineError {
    return value instanceof PipelineError && (code === undefined || value.code === code);
  }
}

/** The message of any thrown value, for logs and reasons. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
