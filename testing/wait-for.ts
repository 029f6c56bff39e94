/**
 * Polls `probe` every `pollMs` (default 100) until it returns a value (not undefined or false; a probe that
 * throws has not got there yet), and returns it; after `timeoutMs` (default 60 s) it throws naming `what`,
 * with `context()` (e.g. the end of a log) appended.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { readonly timeoutMs?: number; readonly pollMs?: number; readonly context?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const value = await Promise.resolve(probe()).catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${options.context?.() ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}
