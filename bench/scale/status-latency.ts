import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import { spread } from '../pipeline/stats';

/** The status API requests the benchmark times: a builds page, one component, one (large) plan's first page. */
export type StatusProbe = 'list builds' | 'a component' | 'a plan';

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
  private readonly samples: Record<StatusProbe, number[]> = {
    'list builds': [],
    'a component': [],
    'a plan': [],
  };
  private readonly failures: Record<StatusProbe, number> = {
    'list builds': 0,
    'a component': 0,
    'a plan': 0,
  };
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly endpoints: Endpoints,
    private readonly component: string,
    /** The plan to ask for; unknown until the planner made one. */
    private readonly planId: () => string | undefined,
  ) {}

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
  }

  figures(): Record<StatusProbe, LatencyFigures> {
    const of = (probe: StatusProbe): LatencyFigures => {
      const samples = this.samples[probe];
      const { p50, p95, max } = spread(samples);
      return { samples: samples.length, p50Ms: p50, p95Ms: p95, maxMs: max, failures: this.failures[probe] };
    };
    return { 'list builds': of('list builds'), 'a component': of('a component'), 'a plan': of('a plan') };
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
}
