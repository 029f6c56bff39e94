import type { BridgeDependencies, BridgeHandle } from './bridge';
import { startBridge } from './bridge';
import type { BridgeConfig, BridgeConfigInput } from './config';

/**
 * The bridge as a foreground process (what `azl-rebuilder bridge` runs): start it, log its stats now and then,
 * and on SIGINT or SIGTERM stop it cleanly — consumer cancelled, in-flight submits finished and acked,
 * connection closed — before resolving with the final stats. The handlers are installed once: a second signal
 * while stopping gets Node's default handling, i.e. the process ends at once.
 */
export interface BridgeProcessOptions {
  /** Signals that stop the bridge; default SIGINT and SIGTERM. */
  readonly signals?: readonly NodeJS.Signals[];
  /** How often to log `stats()` at info level; default 60 s, 0 disables. */
  readonly statsEveryMs?: number;
  /** Resolve-to-stop hook for callers that stop by other means than signals (tests, an embedding host). */
  readonly until?: Promise<unknown>;
}

export async function runBridgeProcess(
  config: BridgeConfig | BridgeConfigInput,
  deps: BridgeDependencies,
  options: BridgeProcessOptions = {},
): Promise<ReturnType<BridgeHandle['stats']>> {
  const bridge = startBridge(config, deps);
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const statsEveryMs = options.statsEveryMs ?? 60_000;
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<NodeJS.Signals>((resolve) => (onSignal = resolve));
  for (const signal of signals) process.once(signal, onSignal);
  const ticker =
    statsEveryMs > 0
      ? setInterval(() => deps.logger.info('bridge stats', { ...bridge.stats() }), statsEveryMs)
      : undefined;
  ticker?.unref();
  try {
    const reason = await Promise.race([
      signalled,
      (options.until ?? new Promise(() => undefined)).then(() => 'until'),
    ]);
    deps.logger.info('stopping the bridge', { reason });
    await bridge.stop();
    return bridge.stats();
  } finally {
    if (ticker) clearInterval(ticker);
    for (const signal of signals) process.removeListener(signal, onSignal);
  }
}
