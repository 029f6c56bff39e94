import { randomUUID } from 'node:crypto';

/**
 * Service Bus lock tokens are GUIDs. On a link they travel as the 16-byte delivery tag, which the SDK shows in
 * .NET GUID byte order (bytes 0-3, 4-5 and 6-7 swapped) before formatting; on `$management` they travel as AMQP
 * uuids in display order. The broker keys its locks by the display string, so both paths meet.
 */
export function newLockToken(): string {
  return randomUUID();
}

/** The delivery tag that the SDK will display as `token`. */
export function deliveryTagFor(token: string): Buffer {
  return reorderGuidBytes(uuidBytes(token));
}

/** A uuid received on `$management` (display-order bytes) as the display string. */
export function lockTokenFromUuid(value: Buffer | string): string {
  if (typeof value === 'string') return value.toLowerCase();
  const hex = value.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidBytes(token: string): Buffer {
  return Buffer.from(token.replace(/-/g, ''), 'hex');
}

function reorderGuidBytes(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  const swap = (start: number, length: number): void => {
    for (let i = 0; i < length; i++) out[start + i] = bytes[start + length - 1 - i] ?? 0;
  };
  swap(0, 4);
  swap(4, 2);
  swap(6, 2);
  return out;
}
