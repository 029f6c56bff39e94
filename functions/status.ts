import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { buildStates } from '../shared/build/build-state';
import { httpStatusOf } from '../shared/error-codes';
import { describeError, PipelineError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { PageRequest, StatusReaders } from '../shared/status/ports';
import { invocationLogger } from './invocation-logger';
import { problem, unavailable } from './problem';
import type { ServicesProvider } from '../shared/services';
import type { HttpFunction } from './table';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

type Answer = (request: HttpRequest, readers: StatusReaders) => Promise<HttpResponseInit>;

/**
 * The status API: read-only `GET` functions behind a function key, answering JSON. Lists take `?limit=`
 * (1–200, default 50) and `?continuationToken=` from the previous page's answer; a bad query is 400
 * `status.invalid-query` (or `status.invalid-token`), an unknown id 404, a store that is down 503.
 */
export function statusFunctions(services: ServicesProvider): HttpFunction[] {
  return [
    get(services, 'statusEvents', 'events', async (request, readers) => {
      const outcome = request.query.get('outcome') ?? 'accepted';
      if (outcome !== 'accepted' && outcome !== 'duplicate' && outcome !== 'rejected')
        throw invalid('outcome', 'outcome must be accepted, duplicate or rejected');
      return ok(await readers.events(outcome, pageOf(request)));
    }),
    get(services, 'statusPlans', 'plans', async (request, readers) =>
      ok(await readers.plans(pageOf(request))),
    ),
    get(services, 'statusPlan', 'plans/{id}', async (request, readers) =>
      found(await readers.plan(param(request, 'id'), pageOf(request)), 'plan', param(request, 'id')),
    ),
    get(services, 'statusBuilds', 'builds', async (request, readers) => {
      const component = request.query.get('component') ?? undefined;
      const state = request.query.get('state') ?? undefined;
      if (state !== undefined && !(buildStates as readonly string[]).includes(state))
        throw invalid('state', `state must be one of ${buildStates.join(', ')}`);
      const filter = { ...(component ? { component } : {}), ...(state ? { state } : {}) };
      return ok(await readers.builds(filter, pageOf(request)));
    }),
    get(services, 'statusBuild', 'builds/{id}', async (request, readers) =>
      found(await readers.build(param(request, 'id')), 'build', param(request, 'id')),
    ),
    get(services, 'statusComponent', 'components/{name}', async (request, readers) =>
      found(await readers.component(param(request, 'name')), 'component', param(request, 'name')),
    ),
    get(services, 'statusRepos', 'repos', async (request, readers) =>
      ok(await readers.repositories(pageOf(request))),
    ),
    get(services, 'statusFailures', 'failures', async (request, readers) => {
      const entity = request.query.get('entity') ?? undefined;
      return ok(await readers.failures(entity || undefined, pageOf(request)));
    }),
  ];
}

function get(services: ServicesProvider, name: string, route: string, answer: Answer): HttpFunction {
  return {
    kind: 'http',
    name,
    route,
    methods: ['GET'],
    authLevel: 'function',
    handler: async (request, context) => {
      let status: StatusReaders | undefined;
      let logger: Logger;
      try {
        ({ status, logger } = await services());
      } catch (error) {
        return problem(503, 'status.not-configured', `the services could not start: ${describeError(error)}`);
      }
      if (!status) return problem(503, 'status.not-configured', 'this instance serves no status API');
      try {
        return await answer(request, status);
      } catch (error) {
        if (PipelineError.is(error) && httpStatusOf(error.code) === 400)
          return problem(400, error.code, error.message);
        invocationLogger(logger, context).error('status query failed', { route, error });
        const retryLater = unavailable(error, 10);
        if (retryLater) return retryLater;
        throw error;
      }
    },
  };
}

/** `?limit=` and `?continuationToken=`; the token is checked by the reader that issued it. */
export function pageOf(request: HttpRequest): PageRequest {
  const raw = request.query.get('limit');
  const limit = raw === null || raw === '' ? DEFAULT_PAGE_LIMIT : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT)
    throw invalid('limit', `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}`);
  const continuationToken = request.query.get('continuationToken') ?? undefined;
  return { limit, ...(continuationToken ? { continuationToken } : {}) };
}

const param = (request: HttpRequest, key: string): string => request.params[key] ?? '';

const ok = (body: object): HttpResponseInit => ({ status: 200, jsonBody: body });

/** What the API looks up by id; an unknown one answers 404 `status.unknown-<kind>`. */
type Kind = 'plan' | 'build' | 'component';

function found(value: object | undefined, kind: Kind, id: string): HttpResponseInit {
  return value === undefined ? problem(404, `status.unknown-${kind}`, `no ${kind} ${id}`) : ok(value);
}

const invalid = (field: string, message: string): PipelineError =>
  PipelineError.permanent('status.invalid-query', message, { field });
