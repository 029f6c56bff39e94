import type { IncomingMessage } from 'node:http';
import { HttpRequest } from '@azure/functions';
import { PipelineError } from '../../../shared/errors';

/** Default request body limit; the real host allows 100 MB, the local host has no use for that much. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Reads the whole request body. Rejects with `http.body-too-large` as soon as it passes `maxBytes`, and stops
 * reading (the caller answers 413 and closes the connection).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        req.pause();
        reject(
          PipelineError.permanent('http.body-too-large', `request body exceeds ${maxBytes} bytes`, {
            maxBytes,
          }),
        );
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * Builds the `HttpRequest` a handler receives, the way the worker does from the host's RPC message. The query
 * is left to `HttpRequest` to derive from the URL so repeated keys (`?tag=a&tag=b`) survive.
 */
export function toHttpRequest(
  req: IncomingMessage,
  url: URL,
  params: Record<string, string>,
  body: Buffer,
): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return new HttpRequest({
    method: req.method ?? 'GET',
    url: url.toString(),
    headers,
    params,
    body: body.length > 0 ? { bytes: new Uint8Array(body.buffer, body.byteOffset, body.length) } : undefined,
  });
}
