import { PipelineError } from '../../errors';

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` is a GUID in its usual form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex, any case). */
export function isGuid(text: string): boolean {
  return GUID_PATTERN.test(text);
}

/**
 * The 16 bytes of a GUID as GPT (and every other Microsoft/UEFI structure) stores it: "mixed-endian", the
 * first three fields (32, 16 and 16 bits) little-endian, the last eight bytes in the order written. So
 * `C12A7328-F81F-11D2-BA4B-00A0C93EC93B` is stored `28 73 2A C1 1F F8 D2 11 BA 4B 00 A0 C9 3E C9 3B`.
 */
export function guidToBytes(guid: string): Uint8Array {
  if (!isGuid(guid)) {
    throw PipelineError.permanent('image.disk-layout-invalid', `"${guid}" is not a GUID`, { guid });
  }
  const hex = guid.replaceAll('-', '');
  const inOrder = Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  const bytes = inOrder.slice();
  bytes.set(inOrder.subarray(0, 4).reverse(), 0);
  bytes.set(inOrder.subarray(4, 6).reverse(), 4);
  bytes.set(inOrder.subarray(6, 8).reverse(), 6);
  return bytes;
}

/** The inverse of `guidToBytes`: upper-case text, as `sfdisk` and the UEFI specification print GUIDs. */
export function guidFromBytes(bytes: Uint8Array): string {
  const hex = (from: number, to: number, reversed: boolean) => {
    const part = Array.from(bytes.subarray(from, to));
    return (reversed ? part.reverse() : part).map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)]
    .join('-')
    .toUpperCase();
}
