// `long` is the SDK's own dependency (its public API takes and returns `Long`); it is used only here, so the
// rest of the pipeline sees plain bigints.
import Long from 'long';
import { PipelineError } from '../../shared/errors';
import type { ServiceBusPlace } from './entity-address';
import { placeContext } from './service-bus-errors';

/**
 * A message's sequence number: the service assigns each message a unique, increasing 64-bit number per entity.
 * The adapter uses `bigint` (exact, comparable with `<`). To persist one, store `String(n)`; every method that
 * takes sequence numbers also accepts that decimal string back.
 */
export type SequenceNumber = bigint;
export type SequenceNumberInput = bigint | string;

const MAX_INT64 = (1n << 63n) - 1n;

export function fromLong(value: Long): SequenceNumber {
  return BigInt(value.toString());
}

export function toLong(value: SequenceNumberInput, place: ServiceBusPlace): Long {
  const parsed = typeof value === 'bigint' ? value : /^\d{1,19}$/.test(value) ? BigInt(value) : -1n;
  if (parsed < 0n || parsed > MAX_INT64) {
    throw PipelineError.permanent(
      'servicebus.invalid-request',
      `not a sequence number: ${String(value)} (expected a non-negative 64-bit integer)`,
      { ...placeContext(place), sequenceNumber: String(value) },
    );
  }
  return Long.fromString(parsed.toString());
}
