/**
 * AMQP header tables as amqplib decodes them, made JSON-safe so they can travel to the sink and on through
 * queues and quarantine records unchanged in meaning:
 * - byte arrays (`x`, what some clients send for strings) become UTF-8 text, or `{ base64 }` when not UTF-8;
 * - amqplib's tagged values `{ '!': 'timestamp' | 'decimal', value }` become numbers (seconds since the epoch
 *   for a timestamp, the decimal's value for a decimal);
 * - nested tables and arrays (e.g. RabbitMQ's `x-received-from`) are converted recursively.
 * Numbers, strings, booleans and null pass through. 64-bit integers were already turned into numbers by amqplib.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function jsonHeaders(headers: Record<string, unknown> | undefined): JsonObject {
  const out: JsonObject = {};
  if (!headers) return out;
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key] = jsonValue(value);
  }
  return out;
}

function jsonValue(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Buffer.isBuffer(value)) return bytes(value);
  if (Array.isArray(value)) return value.map(jsonValue);
  if (typeof value === 'object') {
    const tagged = value as { '!'?: unknown; value?: unknown };
    if (tagged['!'] === 'timestamp' && typeof tagged.value === 'number') return tagged.value;
    if (tagged['!'] === 'decimal') return decimal(tagged.value);
    return jsonHeaders(value as Record<string, unknown>);
  }
  return String(value);
}

function bytes(buffer: Buffer): JsonValue {
  try {
    return utf8.decode(buffer);
  } catch {
    return { base64: buffer.toString('base64') };
  }
}

function decimal(value: unknown): JsonValue {
  const { places, digits } = (value ?? {}) as { places?: unknown; digits?: unknown };
  if (typeof places === 'number' && typeof digits === 'number') return digits / Math.pow(10, places);
  return null;
}
