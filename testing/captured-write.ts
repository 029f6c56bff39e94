/**
 * A stand-in for `process.stdout.write` / `process.stderr.write` that hands each chunk, as text, to `append`
 * and calls the write's callback, for CLI tests that run a command in process and read what it printed:
 * `vi.spyOn(process.stdout, 'write').mockImplementation(capturedWrite((text) => (stdout += text)))`.
 */
export function capturedWrite(append: (text: string) => void): typeof process.stdout.write {
  return ((chunk: string | Uint8Array, encodingOrDone?: unknown, done?: unknown) => {
    append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    const callback = typeof encodingOrDone === 'function' ? encodingOrDone : done;
    if (typeof callback === 'function') (callback as () => void)();
    return true;
  }) as typeof process.stdout.write;
}
