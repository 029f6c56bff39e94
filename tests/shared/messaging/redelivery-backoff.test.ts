import { describe, expect, test } from 'vitest';
import { queues } from '../../../shared/messaging/entities';
import { defaultRedeliveryBackoff, redeliveryDelayMs } from '../../../shared/messaging/redelivery-backoff';

describe('redeliveryDelayMs', () => {
  test('doubles from the base with each delivery, up to the maximum', () => {
    const policy = { baseMs: 1_000, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => redeliveryDelayMs(n, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  test('reads an absent or odd delivery count as the first delivery', () => {
    expect(redeliveryDelayMs(0)).toBe(defaultRedeliveryBackoff.baseMs);
    expect(redeliveryDelayMs(Number.NaN)).toBe(defaultRedeliveryBackoff.baseMs);
    expect(redeliveryDelayMs(1e9)).toBe(defaultRedeliveryBackoff.maxMs);
  });

  test("the waits before a queue's last delivery outlast a 30 s outage on every queue", () => {
    for (const queue of Object.values(queues)) {
      let waited = 0;
      for (let delivery = 1; delivery < queue.maxDeliveryCount; delivery++)
        waited += redeliveryDelayMs(delivery);
      expect(waited, queue.name).toBeGreaterThanOrEqual(60_000);
    }
  });
});
