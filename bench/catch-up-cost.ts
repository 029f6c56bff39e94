import { setupServer } from 'msw/node';
import { DatagrepperClient } from '../infra/fedora';
import { runCatchUp } from '../shared/fedora/catch-up';
import type { CatchUpResult } from '../shared/fedora/catch-up';
import { silentLogger } from '../shared/logger';
import { FAKE_BASE_URL, FakeDatagrepper } from '../testing/fedora/fake-datagrepper';
import { burst, messagesOver, T0 } from '../testing/fedora/fake-messages';
import { MemoryCheckpoints, RecordingSink } from '../testing/fedora/catch-up-fakes';
import { round } from '../testing/measure';

export interface CatchUpRunCost {
  readonly messages: number;
  readonly windows: number;
  readonly requests: number;
  readonly wallMs: number;
  readonly perThousandMessages: { readonly wallMs: number; readonly requests: number };
}

export interface CatchUpCost {
  /** A first run over a 6-hour backlog of `count` messages, bursts included. */
  readonly backlog: CatchUpRunCost;
  /** The next run 5 minutes later: 300 new messages plus the 15-minute overlap read again. */
  readonly steady: CatchUpRunCost;
}

const HOUR = 3600;

/**
 * What a datagrepper catch-up costs in HTTP requests and wall time per 1,000 messages, against the msw fake
 * datagrepper of the tests (second-resolution timestamps, OFFSET paging, row order within a second not
 * insertion order). The backlog holds `count` messages over 6 h: 85 % spread evenly, 12.5 % in a 20-second
 * tagging burst and 2.5 % in one second. The fake answers at once, so wall time is this process's own cost
 * (HTTP through msw, JSON, zod, dedupe), not datagrepper's latency; requests are what datagrepper would serve.
 */
export async function measureCatchUpCost(count = 20_000): Promise<CatchUpCost> {
  const horizon = T0 + 6 * HOUR;
  const now = new Date((horizon + 60) * 1000);
  const inBurst = Math.round(count * 0.125);
  const inOneSecond = Math.round(count * 0.025);
  const fake = new FakeDatagrepper()
    .add(messagesOver(T0 + 1, horizon, count - inBurst - inOneSecond, 0))
    .add(messagesOver(T0 + 2 * HOUR, T0 + 2 * HOUR + 19, inBurst, 1_000_000))
    .add(burst(T0 + 4 * HOUR, inOneSecond, 2_000_000));
  const server = setupServer(fake.handler());
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const checkpoints = new MemoryCheckpoints();
    const sink = new RecordingSink();
    const client = new DatagrepperClient({ baseUrl: FAKE_BASE_URL });
    const run = async (at: Date): Promise<CatchUpRunCost> => {
      const started = performance.now();
      const result = await runCatchUp({
        ...{ client, checkpoints, sink, logger: silentLogger },
        clock: () => at,
        options: { maxRunMs: 3_600_000 },
      });
      return costOf(result, performance.now() - started);
    };
    const backlog = await run(now);
    fake.add(messagesOver(horizon + 1, horizon + 300, 300, 3_000_000));
    const steady = await run(new Date(now.getTime() + 300_000));
    if (sink.accepted.size !== fake.messages.length) {
      throw new Error(`catch-up lost messages: ${sink.accepted.size} of ${fake.messages.length} accepted`);
    }
    return { backlog, steady };
  } finally {
    server.close();
  }
}

function costOf(result: CatchUpResult, wallMs: number): CatchUpRunCost {
  const thousands = Math.max(1, result.messages) / 1000;
  return {
    messages: result.messages,
    windows: result.windows,
    requests: result.requests,
    wallMs: round(wallMs, 1),
    perThousandMessages: {
      wallMs: round(wallMs / thousands, 1),
      requests: round(result.requests / thousands, 1),
    },
  };
}
