/**
 * Keys that no Fedora message carries and that only serve to attack code merging objects into others
 * (`__proto__`, `constructor.prototype`). Messages with one at a level `normalize` reads (the envelope, its
 * headers, the body) are rejected, so the quarantine shows them. Deeper levels are never read nor copied:
 * zod drops `__proto__` from what it parses, and nothing here merges objects.
 */
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** `<prefix><key>` for the first pollution key `value` owns; undefined when none (or not an object). */
export function pollutionKey(value: unknown, prefix: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of POLLUTION_KEYS) if (Object.hasOwn(value, key)) return `${prefix}${key}`;
  return undefined;
}
