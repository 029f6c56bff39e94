import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { HttpResponse } from '@azure/functions';
import { PipelineError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logger';
import { isAuthorized, presentedKey } from './function-keys';
import type { FunctionKeys } from './function-keys';
import { createInvocationContext } from './invocation-context';
import { readBody, toHttpRequest } from './http-request';
import { sendJson, toHttpResponse, writeHttpResponse } from './http-response';
import type { HttpRouter } from './http-router';
import type { HttpFunction } from '../../../functions/table';
import { otelTracing } from '../../../infra/telemetry/otel-tracing';
import { traceContextOfProperties } from '../../../shared/telemetry/trace-context';
import type { StageSpanOptions } from '../../../shared/telemetry/pipeline-telemetry';

export interface HttpHandlerOptions {
  readonly router: HttpRouter;
  readonly functionKeys: FunctionKeys;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** Paths outside `/api` answered as the route below `/api` they name (`{ '/': 'dashboard' }`). */
  readonly rootPaths: Readonly<Record<string, string>>;
}

const API_PREFIX = /^\/api(?=\/|$)/;

/**
 * The request pipeline of the local host: route, method, key, body, handler, response. The host's own
 * refusals are JSON `{ code, message }`. A failing handler gives a 500 carrying only the invocation id as
 * `requestId`; the error itself (with its stack) goes to the log, never to the client.
 */
export function createHttpHandler(options: HttpHandlerOptions): RequestListener {
  const { logger } = options;
  return (req, res) => {
    const started = performance.now();
    handle(options, req, res)
      .catch((error: unknown) => {
        logger.error('http host failed', { method: req.method, url: req.url, error });
        if (!res.headersSent)
          sendJson(res, 500, { code: 'http.host-failed', message: 'the local host failed' });
        else res.destroy();
      })
      .finally(() => {
        const durationMs = Math.round(performance.now() - started);
        logger.info('http request', { method: req.method, url: req.url, status: res.statusCode, durationMs });
      });
  };
}

async function handle(options: HttpHandlerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = parseUrl(req);
  if (!url)
    return sendJson(res, 400, { code: 'http.bad-request', message: 'malformed request target or Host' });
  const notFound = {
    code: 'http.not-found' as const,
    message: `no function serves ${method} ${url.pathname}`,
  };
  const routePath = Object.hasOwn(options.rootPaths, url.pathname)
    ? options.rootPaths[url.pathname]
    : API_PREFIX.test(url.pathname)
      ? url.pathname.replace(API_PREFIX, '')
      : undefined;
  if (routePath === undefined) return sendJson(res, 404, notFound);

  const resolution = options.router.resolve(method, routePath);
  if (resolution.kind === 'not-found') return sendJson(res, 404, notFound);
  if (resolution.kind === 'method-not-allowed') {
    const allow = resolution.allow.join(', ');
    const message = `${method} is not allowed on ${url.pathname}; allowed: ${allow}`;
    return sendJson(res, 405, { code: 'http.method-not-allowed', message }, { allow });
  }
  const { fn, params } = resolution;
  if (!isAuthorized(fn.authLevel, presentedKey(req.headers, url.searchParams), options.functionKeys)) {
    const message = `function '${fn.name}' requires a valid key (x-functions-key header or code query parameter)`;
    return sendJson(res, 401, { code: 'http.unauthorized', message });
  }

  let body: Buffer;
  try {
    body = await readBody(req, options.maxBodyBytes);
  } catch (error) {
    if (!PipelineError.is(error, 'http.body-too-large')) throw error;
    res.shouldKeepAlive = false;
    return sendJson(res, 413, { code: error.code, message: error.message });
  }

  const context = createInvocationContext(fn.name, options.logger, {});
  // The invocation's request, named by its function as the Functions host names them on Azure: the path
  // only (a `?code=` key never reaches telemetry), parented on the caller's `traceparent` when it sends one.
  const attributes = {
    'http.request.method': method,
    'url.path': url.pathname,
    'faas.trigger': 'http',
    'faas.invocation_id': context.invocationId,
  };
  await otelTracing.span(
    fn.name,
    attributes,
    async (span) => {
      await invoke(fn, req, res, { url, params, body, context, logger: options.logger });
      span.annotate({ 'http.response.status_code': res.statusCode });
    },
    requestSpan(req),
  );
}

/** A SERVER span, unless an HTTP instrumentation already opened the request (then a child of it). */
function requestSpan(req: IncomingMessage): StageSpanOptions {
  if (otelTracing.current()) return { kind: 'internal' };
  const parent = traceContextOfProperties({
    traceparent: req.headers['traceparent'],
    tracestate: req.headers['tracestate'],
  });
  return { kind: 'server', ...(parent ? { parent } : {}) };
}

async function invoke(
  fn: HttpFunction,
  req: IncomingMessage,
  res: ServerResponse,
  call: {
    url: URL;
    params: Record<string, string>;
    body: Buffer;
    context: ReturnType<typeof createInvocationContext>;
    logger: Logger;
  },
): Promise<void> {
  const { url, params, body, context, logger } = call;
  let response: HttpResponse;
  try {
    response = toHttpResponse(await fn.handler(toHttpRequest(req, url, params, body), context));
  } catch (error) {
    const requestId = context.invocationId;
    logger.error('http function failed', {
      functionName: fn.name,
      requestId,
      error,
      stack: stackOf(error),
    });
    const message = `function '${fn.name}' failed; see the host log for request ${requestId}`;
    return sendJson(res, 500, { code: 'http.handler-failed', message, requestId });
  }
  await writeHttpResponse(res, response);
}

function parseUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', `http://${req.headers.host || 'localhost'}`);
  } catch {
    return undefined;
  }
}

const stackOf = (error: unknown): string | undefined => (error instanceof Error ? error.stack : undefined);
