/** Runs `work` and returns its wall time in milliseconds. */
export async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export const perSecond = (count: number, ms: number): number => Math.round((count / ms) * 1000);
export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('benchmark step did not finish in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
