import { expect, test } from 'vitest';
import { batchForIngest } from '../../../shared/ingest/replay-batches';

const message = (id: string, size: number) => ({ id, pad: 'x'.repeat(size) });

test('every body is a JSON array within the limit, messages in order, none lost', () => {
  const messages = Array.from({ length: 40 }, (_, i) => message(`m${i}`, 90 + i * 7));
  const { batches, oversized } = batchForIngest(messages, 1_000);
  expect(oversized).toEqual([]);
  expect(batches.length).toBeGreaterThan(1);
  for (const batch of batches) {
    expect(Buffer.byteLength(batch.body)).toBeLessThanOrEqual(1_000);
    expect(JSON.parse(batch.body)).toEqual(batch.indexes.map((i) => messages[i]));
  }
  expect(batches.flatMap((b) => b.indexes)).toEqual(messages.map((_, i) => i));
});

test('a body is filled up to the byte limit exactly (UTF-8 bytes, not characters)', () => {
  const one = JSON.stringify(message('é', 10)); // 'é' is two bytes
  const bytes = Buffer.byteLength(one);
  const exactlyTwo = 2 + bytes * 2 + 1;
  const { batches } = batchForIngest([message('é', 10), message('é', 10), message('é', 10)], exactlyTwo);
  expect(batches.map((b) => b.indexes)).toEqual([[0, 1], [2]]);
});

test('a message larger than the limit by itself is set apart, the rest still sent', () => {
  const { batches, oversized } = batchForIngest(
    [message('a', 10), message('b', 5_000), message('c', 10)],
    1_000,
  );
  expect(oversized).toEqual([1]);
  expect(batches.flatMap((b) => b.indexes)).toEqual([0, 2]);
});

test('at most maxMessages per body', () => {
  const { batches } = batchForIngest(
    Array.from({ length: 7 }, (_, i) => i),
    1_000_000,
    3,
  );
  expect(batches.map((b) => b.indexes.length)).toEqual([3, 3, 1]);
});
