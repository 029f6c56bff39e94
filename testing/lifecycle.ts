import { afterAll, beforeAll } from 'vitest';

/**
 * Something a block of tests shares and that takes time to start (a broker, a pipeline process): started
 * in the block's `beforeAll`, stopped in its `afterAll`. The returned function hands it to the tests; called
 * before the block's `beforeAll` has run (say, at the top level of the file) it throws, naming `what`.
 */
export function useStarted<T>(
  what: string,
  start: () => Promise<T>,
  stop: (value: T) => Promise<void>,
  timeouts: { readonly startMs?: number; readonly stopMs?: number } = {},
): () => T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  }, timeouts.startMs);
  afterAll(async () => {
    if (value !== undefined) await stop(value);
  }, timeouts.stopMs);
  return () => {
    if (value === undefined) throw new Error(`${what} is not started: use it inside the block's tests`);
    return value;
  };
}
