import type { IncomingMessage } from 'node:http';
import type { CloudEventV1 } from 'cloudevents';
import { HTTP } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import type { LoopbackServer } from '../loopback-http';
import { serveOnLoopback } from '../loopback-http';

/** A delivery the receiver verified and parsed. */
export interface AcceptedDelivery {
  readonly webhookId: string;
  readonly webhookTimestamp: string;
  readonly userAgent: string | undefined;
  readonly event: CloudEventV1<unknown>;
}

export interface VerifyingReceiver extends LoopbackServer {
  /** In arrival order. */
  readonly accepted: readonly AcceptedDelivery[];
  /** Why each refused request was refused (the verifier's or the parser's message), in arrival order. */
  readonly refused: readonly string[];
}

/**
 * A webhook receiver on loopback that does what a careful one does, with the libraries a receiver would use:
 * reads the raw body, verifies it with `standardwebhooks` (signature, timestamp tolerance) against `secret`,
 * parses it with the `cloudevents` SDK, and answers 204; anything refused gets 400 with the reason.
 */
export async function startVerifyingReceiver(secret: string): Promise<VerifyingReceiver> {
  const verifier = new Webhook(secret);
  const accepted: AcceptedDelivery[] = [];
  const refused: string[] = [];
  const server = await serveOnLoopback((request, response) => {
    void readBody(request).then((body) => {
      const headers = singleValued(request);
      try {
        if (request.method !== 'POST') throw new Error(`method ${request.method}`);
        verifier.verify(body, headers);
        const event = HTTP.toEvent({ headers, body: body.toString('utf8') });
        if (Array.isArray(event)) throw new Error('a batch, not one event');
        accepted.push({
          webhookId: headers['webhook-id'] ?? '',
          webhookTimestamp: headers['webhook-timestamp'] ?? '',
          userAgent: headers['user-agent'],
          event: event as CloudEventV1<unknown>,
        });
        response.writeHead(204).end();
      } catch (error) {
        const reason = (error as Error).message;
        refused.push(reason);
        response.writeHead(400, { 'content-type': 'text/plain' }).end(reason);
      }
    });
  });
  return { ...server, accepted, refused, close: () => server.close() };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function singleValued(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}
