import { TableClient } from '@azure/data-tables';
import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import { leasesTable } from '../../shared/storage';
import { spread } from '../pipeline/stats';

/**
 * The status API requests the benchmark times: a builds page, one component, one (large) plan's first page;
 * and beside them one point read straight from the storage emulator (`storage`), which tells a slow answer of
 * the API from a slow store.
 */
export type StatusProbe = 'list builds' | 'a component' | 'a plan' | 'storage';

const probes: readonly StatusProbe[] = ['list builds', 'a component', 'a plan', 'storage'];

export interface LatencyFigures {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly failures: number;
}

/**
 * Asks the status API, one request after another with a pause between rounds, for as long as it runs; the
 * answers' latencies are what an operator watching the dashboard during a mass rebuild would see.
 */
export class StatusLatencyProbe {
  private readonly samples = Object.fromEntries(probes.map((p) => [p, [] as number[]])) as Record<
    StatusProbe,
    number[]
  >;
  private readonly failures = Object.fromEntries(probes.map((p) => [p, 0])) as Record<StatusProbe, number>;
  private readonly leases: TableClient;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly endpoints: Endpoints,
    private readonly component: string,
    /** The plan to ask for; unknown until the planner made one. */
    private readonly planId: () => string | undefined,
  ) {
    this.leases = TableClient.fromConnectionString(endpoints.storageConnectionString, leasesTable.name, {
      allowInsecureConnection: true,
    });
  }

  start(pauseMs = 500): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.round();
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** One request of each probe. */
  async round(): Promise<void> {
    await this.time('list builds', '/builds?limit=50');
    await this.time('a component', `/components/${encodeURIComponent(this.component)}`);
    const plan = this.planId();
    if (plan) await this.time('a plan', `/plans/${encodeURIComponent(plan)}`);
    await this.timeStorageRead();
  }

  figures(): Record<StatusProbe, LatencyFigures> {
    const of = (probe: StatusProbe): LatencyFigures => {
      const samples = this.samples[probe];
      const { p50, p95, max } = spread(samples);
      return { samples: samples.length, p50Ms: p50, p95Ms: p95, maxMs: max, failures: this.failures[probe] };
    };
    return Object.fromEntries(probes.map((probe) => [probe, of(probe)])) as Record<
      StatusProbe,
      LatencyFigures
    >;
  }

  private async time(probe: StatusProbe, route: string): Promise<void> {
    const started = performance.now();
    try {
      const response = await fetch(`${this.endpoints.apiBaseUrl}${route}`, {
        headers: { 'x-functions-key': this.endpoints.functionKey },
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      if (response.status !== 200) this.failures[probe]++;
      else this.samples[probe].push(performance.now() - started);
    } catch {
      this.failures[probe]++;
    }
  }

  /** A point read of a row that may not exist (404 is an answer too): the emulator's own latency. */
  private async timeStorageRead(): Promise<void> {
    const started = performance.now();
    try {
      const { partitionKey, rowKey } = leasesTable.key('planner');
      await this.leases.getEntity(partitionKey, rowKey, { abortSignal: AbortSignal.timeout(30_000) });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) {
        this.failures.storage++;
        return;
      }
    }
    this.samples.storage.push(performance.now() - started);
  }
}
