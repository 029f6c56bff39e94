import { createHash } from 'node:crypto';

/**
 * Table keys for free-text values. Tables forbids `/ \ # ?` and control characters in keys, and Fedora
 * message ids are free text; a base64url digest is always a valid key.
 */
export function digestKey(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

const FORBIDDEN = new Set(['/', '\\', '#', '?', '%']);

/** A component name as a row key: readable, with the characters Tables forbids escaped as `%XX`. */
export function componentKey(name: string): string {
  let key = '';
  for (const char of name) {
    const code = char.charCodeAt(0);
    key +=
      FORBIDDEN.has(char) || code < 0x20 || code === 0x7f ? `%${code.toString(16).padStart(2, '0')}` : char;
  }
  return key;
}

/** The component name a `componentKey` was made from. */
export function componentOfKey(key: string): string {
  return key.replace(/%([0-9a-f]{2})/g, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A fingerprint's hex digits (`sha256:` dropped): a build's row key and its artifacts' blob folder. */
export const fingerprintHex = (fingerprint: string): string => fingerprint.replace(/^sha256:/, '');
