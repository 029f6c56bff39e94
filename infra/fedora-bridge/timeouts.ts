import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits for `work` at most `ms`: `'done'` when it settled (fulfilled or rejected — while closing, "already
 * closed" failures are expected and harmless), `'timeout'` otherwise. The timer is cleared either way, so a
 * finished wait keeps no timer (and no process) alive.
 */
export async function within(work: Promise<unknown>, ms: number): Promise<'done' | 'timeout'> {
  const timer = new AbortController();
  const timeout = sleep(Math.max(0, ms), 'timeout' as const, { signal: timer.signal }).catch(
    () => 'done' as const,
  );
  const settled = work.then(
    () => 'done' as const,
    () => 'done' as const,
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    timer.abort();
  }
}
