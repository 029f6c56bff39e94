import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { describes } from '../shared/schema-matches';
import type { HttpFunction } from './table';
import type { DependencyProbe, ServicesProvider } from '../shared/services';
import type { BodyOf } from '../shared/schema-matches';

export interface DependencyHealth {
  readonly name: string;
  readonly state: 'healthy' | 'unhealthy';
  readonly detail: string;
  readonly latencyMs: number;
}

const dependencyHealthSchema = describes<DependencyHealth>()(
  z.object({
    name: z.string().describe('`configuration` when the services could not start'),
    state: z.enum(['healthy', 'unhealthy']),
    detail: z.string(),
    latencyMs: z.int().min(0),
  }),
);

/** The answer of `GET /api/health` (200 and 503 alike). */
export const healthReportSchema = z.object({
  status: z.enum(['healthy', 'unhealthy']),
  checkedAt: z.string(),
  dependencies: z.array(dependencyHealthSchema),
});
type HealthReport = BodyOf<typeof healthReportSchema>;

const PROBE_TIMEOUT_MS = 5_000;

/** `GET /api/health`: every dependency and its state; 200 when all are healthy, 503 otherwise. */
export function healthFunction(services: ServicesProvider): HttpFunction {
  return {
    kind: 'http',
    name: 'health',
    route: 'health',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: async (_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
      let dependencies: readonly DependencyProbe[];
      try {
        ({ dependencies } = await services());
      } catch (error) {
        // Settings missing or malformed: say so here rather than failing the probe with a bare 500.
        const detail = error instanceof Error ? error.message : String(error);
        const configuration = { name: 'configuration', state: 'unhealthy', detail, latencyMs: 0 } as const;
        return {
          status: 503,
          jsonBody: {
            status: 'unhealthy',
            checkedAt: new Date().toISOString(),
            dependencies: [configuration],
          } satisfies HealthReport,
        };
      }
      const results = await Promise.all(dependencies.map(probe));
      const healthy = results.every((r) => r.state === 'healthy');
      return {
        status: healthy ? 200 : 503,
        jsonBody: {
          status: healthy ? 'healthy' : 'unhealthy',
          checkedAt: new Date().toISOString(),
          dependencies: results,
        } satisfies HealthReport,
      };
    },
  };
}

async function probe(dependency: DependencyProbe): Promise<DependencyHealth> {
  const started = performance.now();
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  try {
    const detail = await Promise.race([dependency.check(signal), rejectOnAbort(signal)]);
    return { name: dependency.name, state: 'healthy', detail: detail ?? 'ok', latencyMs: elapsed(started) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { name: dependency.name, state: 'unhealthy', detail, latencyMs: elapsed(started) };
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) =>
    signal.addEventListener('abort', () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`))),
  );
}

const elapsed = (started: number): number => Math.round(performance.now() - started);
