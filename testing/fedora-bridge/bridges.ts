import { afterEach } from 'vitest';
import { startBridge } from '../../infra/fedora-bridge';
import type { BridgeConfigInput, BridgeHandle } from '../../infra/fedora-bridge';

/** Bridge settings for a local broker: plain AMQP, vhost `/`, short delays. */
export function localBridgeConfig(
  url: string,
  overrides: Partial<BridgeConfigInput> = {},
): BridgeConfigInput {
  return {
    url,
    vhost: '/',
    reconnect: { initialMs: 200, maxMs: 2_000 },
    submitRetry: { initialMs: 50, maxMs: 400 },
    watchdogIdleMs: 0,
    stopTimeoutMs: 10_000,
    ...overrides,
  };
}

/** Starts bridges for the running test and stops them after it, so no consumer outlives its test. */
export function useBridges(): { start: typeof startBridge } {
  const running: BridgeHandle[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((bridge) => bridge.stop()));
  });
  return {
    start: (...args) => {
      const bridge = startBridge(...args);
      running.push(bridge);
      return bridge;
    },
  };
}
