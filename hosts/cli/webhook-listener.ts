import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { CLOUD_EVENT_TYPE_PREFIX } from '../../shared/events/cloud-event';
import { describeError, PipelineError } from '../../shared/errors';

export interface WebhookListenerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** The interface to bind: loopback unless a receiver elsewhere (a container) must reach it. */
  readonly host: string;
  /** `whsec_…`: each request's Standard Webhooks signature is checked; absent: nothing is verified. */
  readonly secret?: string;
  /** Where each line goes (one per request, without the newline). */
  readonly out: (line: string) => void;
  readonly maxBodyBytes?: number;
  /** For the line of a request whose event has no `time`. */
  readonly now?: () => Date;
}

export interface RunningWebhookListener {
  /** `http://<host>:<port>/`: what to subscribe. */
  readonly url: string;
  close(): Promise<void>;
}

/** Larger than any delivery the pipeline sends; a body past it is refused without being read to the end. */
export const DEFAULT_LISTENER_MAX_BODY_BYTES = 1024 * 1024;

/**
 * `azl-rebuilder webhooks listen`: a receiver for trying webhooks out. Each POST's body is read raw; with a
 * secret its Standard Webhooks signature and timestamp are verified with the `standardwebhooks` package, as a
 * receiver would (a failure answers 401 and prints why); the body is parsed as a structured CloudEvent (not
 * one: 400); then one line is printed (time, type, subject, webhook-id, verified or unverified) and the
 * answer is 204. The listener keeps nothing.
 */
export async function startWebhookListener(options: WebhookListenerOptions): Promise<RunningWebhookListener> {
  const verifier = options.secret === undefined ? undefined : new Webhook(options.secret);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_LISTENER_MAX_BODY_BYTES;
  const now = options.now ?? (() => new Date());
  const server = createServer((request, response) => {
    void receive(request, response).catch((error: unknown) => {
      options.out(`${now().toISOString()}  error  ${describeError(error)}`);
      if (!response.headersSent) answer(response, 500, 'the listener failed');
    });
  });

  async function receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const webhookId = header(request, 'webhook-id') ?? '-';
    const refuse = (status: number, why: string) => {
      options.out(`${now().toISOString()}  refused  webhook-id=${webhookId}  ${status}: ${why}`);
      answer(response, status, why);
    };
    if (request.method !== 'POST') return refuse(405, `method ${request.method ?? '?'}: only POST`);
    const body = await readBody(request, maxBodyBytes);
    if (body === undefined) return refuse(413, `body larger than ${maxBodyBytes} bytes`);
    if (verifier) {
      try {
        verifier.verify(body, singleValued(request));
      } catch (error) {
        return refuse(401, `signature not verified: ${describeError(error)}`);
      }
    }
    const event = structuredCloudEvent(body);
    if (typeof event === 'string') return refuse(400, event);
    options.out(
      [
        typeof event.time === 'string' ? event.time : now().toISOString(),
        catalogueType(event.type),
        typeof event.subject === 'string' ? event.subject : '-',
        `webhook-id=${webhookId}`,
        verifier ? 'verified' : 'unverified',
      ].join('  '),
    );
    response.writeHead(204).end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        PipelineError.permanent(
          'webhooks.listen-failed',
          `cannot listen on ${options.host}:${options.port}: ${error.code ?? describeError(error)}`,
          { host: options.host, port: options.port },
          error,
        ),
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The event's required attributes, or why the body is not a structured CloudEvent. */
function structuredCloudEvent(
  body: Buffer,
): { type: string; id: string; time?: unknown; subject?: unknown } | string {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return 'not a CloudEvent: the body is not JSON';
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return 'not a CloudEvent: the body is not one JSON object';
  const event = json as Record<string, unknown>;
  for (const attribute of ['specversion', 'id', 'source', 'type'])
    if (typeof event[attribute] !== 'string' || event[attribute] === '')
      return `not a CloudEvent: no ${attribute}`;
  return event as { type: string; id: string; time?: unknown; subject?: unknown };
}

/** `build.failed` for `com.azurelinux.rebuilder.build.failed`; another sender's type as it is. */
const catalogueType = (type: string): string =>
  type.startsWith(CLOUD_EVENT_TYPE_PREFIX) ? type.slice(CLOUD_EVENT_TYPE_PREFIX.length) : type;

/** The body, or undefined once it passes `max` bytes (the rest is not read). */
function readBody(request: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        request.removeAllListeners('data');
        request.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function singleValued(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

function answer(response: ServerResponse, status: number, text: string): void {
  // An oversized body is not read to its end: close the connection rather than leave it half read.
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    ...(status === 413 ? { connection: 'close' } : {}),
  });
  response.end(`${text}\n`);
}
