/** Runs `create` once per instance (table or container creation); a failure lets the next call try again. */
export function ensureOnce(create: () => Promise<void>): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () =>
    (ready ??= create().catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));
}
