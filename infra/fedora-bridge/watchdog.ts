/**
 * Fires `onIdle` once when `kick()` was not called for `idleMs` — a consumer that silently stopped receiving
 * (a half-open TCP connection the heartbeat missed, a queue or binding lost on the broker side) shows up as
 * silence, and the cure is a fresh connection, which also runs the catch-up. One timer, re-armed lazily, so a
 * kick per delivery costs only a clock read. `idleMs` 0 disables it.
 */
export interface Watchdog {
  kick(): void;
  stop(): void;
}

export function startWatchdog(idleMs: number, onIdle: (idleForMs: number) => void): Watchdog {
  let last = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let stopped = idleMs <= 0;
  const arm = (delay: number): void => {
    timer = setTimeout(check, delay);
    timer.unref();
  };
  const check = (): void => {
    if (stopped) return;
    const idle = Date.now() - last;
    if (idle >= idleMs) {
      stopped = true;
      onIdle(idle);
    } else {
      arm(idleMs - idle);
    }
  };
  if (!stopped) arm(idleMs);
  return {
    kick: () => {
      last = Date.now();
    },
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
