/**
 * Splits messages into request bodies for `POST /api/fedora/messages`: each body a JSON array no larger
 * than `maxBytes` (UTF-8), messages kept in order. A message that alone would exceed the limit cannot be
 * sent at all and is returned apart, with its index, so the caller reports it instead of losing it silently.
 */
export interface ReplayBatch {
  /** Indexes (into the input) of the messages in this body, in order. */
  readonly indexes: readonly number[];
  /** The body to send: a JSON array of those messages. */
  readonly body: string;
}

export interface ReplayBatching {
  readonly batches: readonly ReplayBatch[];
  readonly oversized: readonly number[];
}

export function batchForIngest(
  messages: readonly unknown[],
  maxBytes: number,
  maxMessages = 500,
): ReplayBatching {
  const batches: ReplayBatch[] = [];
  const oversized: number[] = [];
  let indexes: number[] = [];
  let parts: string[] = [];
  let size = 2; // "[" and "]"
  const flush = (): void => {
    if (indexes.length === 0) return;
    batches.push({ indexes, body: `[${parts.join(',')}]` });
    indexes = [];
    parts = [];
    size = 2;
  };
  messages.forEach((message, index) => {
    const text = JSON.stringify(message) ?? 'null';
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes + 2 > maxBytes) {
      oversized.push(index);
      return;
    }
    const added = bytes + (indexes.length > 0 ? 1 : 0);
    if (size + added > maxBytes || indexes.length >= maxMessages) flush();
    size += bytes + (indexes.length > 0 ? 1 : 0);
    indexes.push(index);
    parts.push(text);
  });
  flush();
  return { batches, oversized };
}
