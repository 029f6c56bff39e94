import { types } from 'rhea';

/** .NET ticks (100 ns since 0001-01-01) at the Unix epoch; Service Bus sends session lock times in ticks. */
const TICKS_AT_UNIX_EPOCH = 621355968000000000n;

/** A timestamp as an AMQP long of .NET ticks, as the `com.microsoft:locked-until-utc` link property expects. */
export function ticksLong(timeMs: number): unknown {
  const ticks = BigInt(Math.round(timeMs)) * 10000n + TICKS_AT_UNIX_EPOCH;
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(ticks);
  return types.wrap_long(bytes);
}

/** A safe integer as the 8 big-endian bytes of an AMQP long (what `wrap_array(…, 0x81)` takes). */
export function longBytes(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(BigInt(value));
  return bytes;
}

/** An AMQP long from a safe integer (sequence numbers). */
export function long(value: number): unknown {
  return types.wrap_long(longBytes(value));
}

/** Longs arrive decoded as numbers or 8-byte big-endian buffers depending on the path; accept both. */
export function toSafeInteger(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value) && value.length === 8) return Number(value.readBigInt64BE());
  if (value && typeof value === 'object' && 'value' in value)
    return toSafeInteger((value as { value: unknown }).value);
  throw new TypeError(`not a long: ${String(value)}`);
}

export const wrapUuid = (bytes: Buffer): unknown => types.wrap_uuid(bytes);
