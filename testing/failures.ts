import { expect } from 'vitest';
import { PipelineError } from '../shared/errors';

/**
 * What a failing call throws, for asserting on it. Each fails the test when the call does not fail, so an
 * assertion on the error can never pass vacuously.
 */

/** The PipelineError a promise rejects with (fails the test if it resolves or rejects with something else). */
export async function failure(promise: Promise<unknown>): Promise<PipelineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PipelineError);
  return error as PipelineError;
}

/** Whatever `fn` throws; a failure when it returns. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** The PipelineError with `code` that `fn` throws; anything else it throws is rethrown. */
export function thrownPipelineError(
  fn: () => unknown,
  code: NonNullable<Parameters<typeof PipelineError.is>[1]>,
): PipelineError {
  try {
    fn();
  } catch (error) {
    if (PipelineError.is(error, code)) return error;
    throw error;
  }
  throw new Error(`expected ${code}`);
}
