import { describe, expect, test } from 'vitest';
import { backoffDelay, sleepUnlessAborted } from '../../../infra/fedora-bridge/backoff';
import { InFlight } from '../../../infra/fedora-bridge/in-flight';
import { startWatchdog } from '../../../infra/fedora-bridge/watchdog';

const policy = { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.2 };

describe('backoff', () => {
  test('grows exponentially and is capped', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 7, 8, 50, 5_000].map((attempt) => backoffDelay(policy, attempt, none))).toEqual([
      1_000, 2_000, 4_000, 8_000, 60_000, 60_000, 60_000, 60_000,
    ]);
  });

  test('jitter only shortens, by at most the jitter fraction', () => {
    expect(backoffDelay(policy, 3, () => 0.999999)).toBe(3_200);
    expect(backoffDelay(policy, 30, () => 1)).toBe(48_000);
    for (let i = 0; i < 200; i += 1) {
      const delay = backoffDelay(policy, 10);
      expect(delay).toBeGreaterThanOrEqual(48_000);
      expect(delay).toBeLessThanOrEqual(60_000);
    }
  });

  test('sleepUnlessAborted ends early on abort and says so', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = sleepUnlessAborted(10_000, controller.signal);
    controller.abort();
    expect(await sleeping).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await sleepUnlessAborted(10, new AbortController().signal)).toBe(true);
  });
});

describe('in-flight tracking and the watchdog', () => {
  test('drain waits for tracked work, failures included, and reports a timeout', async () => {
    const inFlight = new InFlight();
    inFlight.track(new Promise((resolve) => setTimeout(resolve, 50)));
    inFlight.track(Promise.reject(new Error('handled elsewhere')));
    expect(await inFlight.drain(2_000)).toBe(true);
    expect(inFlight.size).toBe(0);
    inFlight.track(new Promise(() => undefined));
    expect(await inFlight.drain(50)).toBe(false);
  });

  test('the watchdog fires once after idleMs without kicks, and not while kicked', async () => {
    let fired = 0;
    const dog = startWatchdog(150, () => (fired += 1));
    for (let i = 0; i < 5; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 60));
      dog.kick();
    }
    expect(fired).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fired).toBe(1);
    dog.stop();
    const disabled = startWatchdog(0, () => (fired += 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    disabled.stop();
    expect(fired).toBe(1);
  });
});
