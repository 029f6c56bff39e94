import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpResponse } from '@azure/functions';
import type { Cookie, HttpResponseInit } from '@azure/functions';
import type { ErrorCode } from '../../../shared/error-codes';

/**
 * What an HTTP handler returned, as an `HttpResponse`. A plain `HttpResponseInit` goes through the library's
 * constructor, so `jsonBody`, body types and default headers behave as on Azure; returning nothing gives an
 * empty 200. Throws (e.g. RangeError for status 999) when the handler returned something unusable.
 */
export function toHttpResponse(result: unknown): HttpResponse {
  return result instanceof HttpResponse ? result : new HttpResponse((result ?? {}) as HttpResponseInit);
}

/** Writes the response; the body is streamed, so a `ReadableStream` body is never buffered whole. */
export async function writeHttpResponse(res: ServerResponse, response: HttpResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = [...response.headers.getSetCookie(), ...response.cookies.map(serializeCookie)];
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (response.body) await pipeline(Readable.fromWeb(response.body), res);
  else res.end();
}

/** A JSON answer of the host itself (404, 405, 401, 500, ...): `{ code, message, ...extra }`. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: { code: ErrorCode; message: string } & Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function serializeCookie(cookie: Cookie): string {
  if (!COOKIE_NAME.test(cookie.name)) throw new TypeError(`invalid cookie name '${cookie.name}'`);
  const parts = [`${cookie.name}=${encodeURIComponent(cookie.value)}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path) parts.push(`Path=${cookie.path}`);
  if (cookie.expires !== undefined) parts.push(`Expires=${new Date(cookie.expires).toUTCString()}`);
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${Math.floor(cookie.maxAge)}`);
  if (cookie.secure) parts.push('Secure');
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join('; ');
}
