/**
 * Runs a benchmark as a process's whole work: exits 0 when `run` resolves and 1 (with the error on stderr)
 * when it rejects. The exit is explicit because a pipeline, broker or HTTP server a benchmark started can
 * leave handles open that would otherwise keep the process alive after its figures are written.
 */
export function runBenchmark(run: () => Promise<void>): void {
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
