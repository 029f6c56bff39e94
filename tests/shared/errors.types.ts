/**
 * Type tests for the error codes: this file is only type-checked (`npm run typecheck`), never run. Each
 * `@ts-expect-error` line is a misuse that must not compile; should one compile, TypeScript reports the unused
 * directive and the type check fails.
 */
import { problem } from '../../functions/problem';
import type { ClassifiedCode } from '../../shared/error-codes';
import { PipelineError } from '../../shared/errors';

export function misuses(error: PipelineError): unknown[] {
  return [
    // @ts-expect-error -- a misspelt code
    PipelineError.permanent('overlay.drfit', 'x'),
    // @ts-expect-error -- a code the catalogue does not have
    new PipelineError('ingest.schema', 'x', false),
    // @ts-expect-error -- a never-retryable code given to the transient factory
    PipelineError.transient('overlay.drift', 'x'),
    // @ts-expect-error -- an always-retryable code given to the permanent factory
    PipelineError.permanent('storage.unavailable', 'x'),
    // @ts-expect-error -- matching a misspelt code
    PipelineError.is(error, 'overlay.drfit'),
    // @ts-expect-error -- comparing with a misspelt code
    error.code === 'overlay.drfit',
    // @ts-expect-error -- a classifier's table entry with the wrong retryability
    { code: 'storage.conflict', retryable: true } satisfies ClassifiedCode,
    // @ts-expect-error -- an HTTP answer with a misspelt code
    problem(400, 'status.invalid-qurey', 'x'),
  ];
}

/** What compiles: a code retryable as the failure says goes through either factory. */
export const uses = [
  PipelineError.permanent('servicebus.failed', 'x'),
  PipelineError.transient('servicebus.failed', 'x'),
  new PipelineError('storage.not-found', 'x', false),
  { code: 'storage.unavailable', retryable: true } satisfies ClassifiedCode,
];
