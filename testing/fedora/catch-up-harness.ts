import type { SetupServer } from 'msw/node';
import { DatagrepperClient } from '../../infra/fedora';
import { runCatchUp } from '../../shared/fedora/catch-up';
import type { CatchUpResult } from '../../shared/fedora/catch-up';
import { createJsonLogger } from '../../infra/telemetry/logger';
import type { CatchUpOptions, CheckpointPort } from '../../shared/fedora/catch-up';
import { FAKE_BASE_URL } from './fake-datagrepper';
import type { FakeDatagrepper } from './fake-datagrepper';
import { MemoryCheckpoints, RecordingSink, recordingSleep } from './catch-up-fakes';

/** Everything a catch-up test needs around `runCatchUp`: the fake server, sink, checkpoints, logs. */
export class CatchUpHarness {
  readonly sink = new RecordingSink();
  readonly waits: number[];
  readonly logs: Record<string, unknown>[] = [];
  readonly client: DatagrepperClient;

  constructor(
    server: SetupServer,
    readonly fake: FakeDatagrepper,
    readonly checkpoints: CheckpointPort = new MemoryCheckpoints(),
  ) {
    server.use(fake.handler());
    const { sleep, waits } = recordingSleep();
    this.waits = waits;
    this.client = new DatagrepperClient({
      baseUrl: FAKE_BASE_URL,
      sleep,
      timeoutMs: 25,
      retry: { attempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 },
    });
  }

  run(now: Date, options: CatchUpOptions = {}, clock?: () => Date): Promise<CatchUpResult> {
    const logger = createJsonLogger({ level: 'debug', sink: (line) => this.logs.push(JSON.parse(line)) });
    return runCatchUp({
      client: this.client,
      checkpoints: this.checkpoints,
      sink: this.sink,
      clock: clock ?? (() => now),
      options,
      logger,
    });
  }

  /** Runs, expecting a failure; returns the error. */
  async failingRun(now: Date, options: CatchUpOptions = {}): Promise<unknown> {
    return this.run(now, options).then(
      (result) => {
        throw new Error(`run did not fail: ${JSON.stringify(result)}`);
      },
      (error: unknown) => error,
    );
  }

  /** Ids of stored messages whose second is in `from`..`to`. */
  idsIn(from: number, to: number): Set<string> {
    return new Set(this.fake.messages.filter((m) => m.second >= from && m.second <= to).map((m) => m.id));
  }
}
