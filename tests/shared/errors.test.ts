import { describe, expect, it } from 'vitest';
import { errorCodes, httpStatusOf, isErrorCode } from '../../shared/error-codes';
import type { ErrorCodeInfo } from '../../shared/error-codes';
import { PipelineError } from '../../shared/errors';
import type { PipelineErrorJson } from '../../shared/errors';

const catalogue: [string, ErrorCodeInfo][] = Object.entries(errorCodes);

describe('the error code catalogue', () => {
  it('names every code <area>.<what> in lower case, with a meaning', () => {
    for (const [code, info] of catalogue) {
      expect(code).toMatch(/^[a-z][a-z_-]*\.[a-z][a-z_-]*$/);
      expect(info.meaning.trim()).not.toBe('');
    }
  });

  it('answers every always-retryable code 503, and gives the HTTP statuses of the API', () => {
    for (const [code, info] of catalogue) if (info.retryable === true) expect(httpStatusOf(code)).toBe(503);
    expect(httpStatusOf('status.invalid-query')).toBe(400);
    expect(httpStatusOf('status.unknown-build')).toBe(404);
    expect(httpStatusOf('catch-up.disabled')).toBe(409);
    expect(httpStatusOf('ingest.too-large')).toBe(413);
    expect(httpStatusOf('overlay.drift')).toBeUndefined();
  });

  it('knows its own codes only', () => {
    expect(isErrorCode('overlay.drift')).toBe(true);
    expect(isErrorCode('ingest.schema')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(httpStatusOf('toString')).toBeUndefined();
  });
});

describe('PipelineError', () => {
  it('takes its retryability from the factory', () => {
    expect(PipelineError.permanent('overlay.drift', 'gone').retryable).toBe(false);
    expect(PipelineError.transient('storage.unavailable', 'down').retryable).toBe(true);
    expect(PipelineError.permanent('servicebus.failed', 'odd').retryable).toBe(false);
    expect(PipelineError.transient('servicebus.failed', 'busy').retryable).toBe(true);
  });

  it('survives JSON with its code, message, retryability and context', () => {
    const error = PipelineError.transient('sources.unavailable', 'lookaside down', {
      url: 'https://x',
      tries: 3,
    });
    const json = JSON.parse(JSON.stringify(error)) as PipelineErrorJson;
    expect(json).toEqual({
      name: 'PipelineError',
      code: 'sources.unavailable',
      message: 'lookaside down',
      retryable: true,
      context: { url: 'https://x', tries: 3 },
    });
    const restored = PipelineError.fromJSON(json);
    expect(restored).toBeInstanceOf(PipelineError);
    expect(restored).toEqual(error);
    expect(PipelineError.is(restored, 'sources.unavailable')).toBe(true);
  });

  it('reads back JSON whose code this version does not know, keeping the code as written', () => {
    const older: PipelineErrorJson = {
      name: 'PipelineError',
      code: 'ingest.schema',
      message: 'missing topic',
      retryable: false,
      context: { field: 'topic' },
    };
    const restored = PipelineError.fromJSON(older);
    expect(restored.toJSON()).toEqual(older);
    expect(PipelineError.is(restored)).toBe(true);
    expect(PipelineError.is(restored, 'message.invalid')).toBe(false);
    expect(httpStatusOf(restored.code)).toBeUndefined();
  });
});
