import { lookup as systemLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { PipelineError } from '../../shared/errors';
import type { TransientCode } from '../../shared/error-codes';
import {
  checkDestinationUrl,
  checkResolvedAddresses,
  strictDestinationPolicy,
} from '../../shared/webhooks/destination-policy';
import type { CheckedDestination, DestinationPolicy } from '../../shared/webhooks/destination-policy';
import type {
  AttemptOutcome,
  BodyEnd,
  WebhookPost,
  WebhookPoster,
} from '../../shared/webhooks/delivery-attempt';

/**
 * The HTTP client webhook deliveries go through (issue 17, SSRF protection). Per attempt: check the URL
 * (`checkDestinationUrl`), resolve the host once, check every address it resolves to, then connect to those
 * checked addresses only: the request's `lookup` hands Node the checked list and never asks DNS again, so a
 * name that resolves elsewhere a moment later (DNS rebinding) is not followed. TLS SNI and the Host header stay
 * the host name, so certificates verify as usual. No redirect is followed (Node's client follows none: a 3xx is
 * an answer). The body read stops at `maxBodyBytes` and the connection is closed; the whole attempt, from the
 * lookup to the end of the body read, ends at `timeoutMs` whatever the receiver does.
 *
 * A fresh connection per attempt (`agent: false`): a pooled socket would outlive the check that allowed it.
 */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address of `host`, as `dns.promises.lookup(host, { all: true })` gives them. */
export type HostResolver = (host: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: HostResolver = async (host) =>
  (await systemLookup(host, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

export interface SafeHttpClientOptions {
  /** `allowLoopback` only in the local runtime and tests. Default: strict. */
  readonly policy?: DestinationPolicy;
  /** Default: the system resolver (getaddrinfo, as Node's own connections use). */
  readonly resolve?: HostResolver;
  /** The limit of one attempt. Default 15 s (issue 17). */
  readonly timeoutMs?: number;
  /** How much of an answer's body is read. Default 64 KiB. */
  readonly maxBodyBytes?: number;
  /** Certificates to trust instead of Node's roots (a test CA). */
  readonly ca?: string | Buffer;
}

export const defaultAttemptTimeoutMs = 15_000;
export const defaultMaxBodyBytes = 64 * 1024;

/** Headers a caller may not set: the client writes them, from the checked URL and the body. */
const clientHeaders = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

export function createSafeHttpClient(options: SafeHttpClientOptions = {}): WebhookPoster {
  const policy = options.policy ?? strictDestinationPolicy;
  const resolve = options.resolve ?? systemResolver;
  const timeoutMs = options.timeoutMs ?? defaultAttemptTimeoutMs;
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  return {
    async post(request: WebhookPost): Promise<AttemptOutcome> {
      const started = performance.now();
      const latencyMs = (): number => Math.round(performance.now() - started);
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), timeoutMs);
      try {
        const destination = checkDestinationUrl(request.url, policy);
        const addresses = await resolveWithin(destination, resolve, deadline.signal, timeoutMs);
        checkResolvedAddresses(
          destination,
          addresses.map(({ address }) => address),
          policy,
        );
        const exchanged = await exchange(destination, addresses, request, {
          signal: deadline.signal,
          timeoutMs,
          maxBodyBytes,
          ...(options.ca === undefined ? {} : { ca: options.ca }),
        });
        return exchanged.kind === 'answered'
          ? { kind: 'answered', ...exchanged.answer, latencyMs: latencyMs() }
          : { kind: 'failed', error: exchanged.error, latencyMs: latencyMs() };
      } catch (error) {
        if (!PipelineError.is(error)) throw error;
        return { kind: 'failed', error, latencyMs: latencyMs() };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function timedOut(timeoutMs: number, stage: string): PipelineError {
  return PipelineError.transient(
    'webhook.timeout',
    `no answer within the attempt's limit of ${timeoutMs} ms (${stage})`,
    { timeoutMs, stage },
  );
}

async function resolveWithin(
  destination: CheckedDestination,
  resolve: HostResolver,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<readonly ResolvedAddress[]> {
  if (destination.literalAddress !== undefined)
    return [{ address: destination.literalAddress, family: isIP(destination.literalAddress) === 6 ? 6 : 4 }];
  const host = destination.host;
  // getaddrinfo cannot be cancelled: at the limit the attempt stops waiting for it.
  const aborted = new Promise<never>((_, reject) => {
    const stop = (): void => reject(timedOut(timeoutMs, 'resolving the host'));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await Promise.race([resolve(host), aborted]);
  } catch (error) {
    if (PipelineError.is(error)) throw error;
    throw PipelineError.transient('webhook.dns-failed', `${host} did not resolve`, { host }, error);
  }
  if (addresses.length === 0)
    throw PipelineError.transient('webhook.dns-failed', `${host} resolved to no address`, { host });
  return addresses;
}

/**
 * Node's `lookup` for the connection: the checked addresses, whatever the family or `all` asked (with
 * `autoSelectFamily`, Node's default, it asks for all of them and tries them in turn: Happy Eyeballs over
 * checked addresses only). Any other host name is refused: the connection was made for this one.
 */
function pinnedLookup(host: string, addresses: readonly ResolvedAddress[]): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    const family = lookupOptions.family;
    const wanted = addresses.filter((entry) => (family !== 4 && family !== 6) || entry.family === family);
    const first = wanted[0];
    if (hostname !== host || first === undefined) {
      const error = Object.assign(new Error(`no checked address for ${hostname}`), { code: 'ENOTFOUND' });
      callback(error, '', 0);
      return;
    }
    if (lookupOptions.all === true)
      callback(
        null,
        wanted.map((entry) => ({ ...entry })),
      );
    else callback(null, first.address, first.family);
  };
}

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyExcerpt: string;
  readonly bodyEnd: BodyEnd;
}

type Exchanged =
  | { readonly kind: 'answered'; readonly answer: Answer }
  | { readonly kind: 'failed'; readonly error: PipelineError };

interface ExchangeLimits {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly ca?: string | Buffer;
}

/** POSTs the body over one new connection to a checked address and reads the answer within the limits. */
function exchange(
  destination: CheckedDestination,
  addresses: readonly ResolvedAddress[],
  post: WebhookPost,
  limits: ExchangeLimits,
): Promise<Exchanged> {
  const body = typeof post.body === 'string' ? Buffer.from(post.body, 'utf8') : Buffer.from(post.body);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(post.headers))
    if (!clientHeaders.has(name.toLowerCase())) headers[name] = value;
  headers['content-length'] = String(body.length);
  const { url } = destination;
  const requestOptions: RequestOptions & { ca?: string | Buffer } = {
    method: 'POST',
    hostname: destination.host,
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers,
    agent: false,
    lookup: pinnedLookup(destination.host, addresses),
    ...(limits.ca === undefined ? {} : { ca: limits.ca }),
  };
  return new Promise<Exchanged>((settle) => {
    let settled = false;
    const finish = (result: Exchanged): void => {
      if (settled) return;
      settled = true;
      limits.signal.removeEventListener('abort', onDeadline);
      outgoing.destroy();
      settle(result);
    };
    let reading: ((end: BodyEnd) => void) | undefined;
    const onDeadline = (): void => {
      if (reading !== undefined) reading('time-limit');
      else finish({ kind: 'failed', error: timedOut(limits.timeoutMs, 'waiting for the answer') });
    };
    const outgoing = (destination.plainHttp ? httpRequest : httpsRequest)(requestOptions);
    outgoing.on('error', (error) => {
      if (reading !== undefined) reading('broken');
      else finish({ kind: 'failed', error: classifyNetworkError(error, destination.host) });
    });
    outgoing.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      reading = (end) =>
        finish({
          kind: 'answered',
          answer: {
            status: response.statusCode ?? 0,
            headers: flattenHeaders(response.headers),
            bodyExcerpt: Buffer.concat(chunks).toString('utf8'),
            bodyEnd: end,
          },
        });
      response.on('data', (chunk: Buffer) => {
        const room = limits.maxBodyBytes - bytes;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        bytes += Math.min(chunk.length, room);
        if (chunk.length > room) reading?.('capped');
      });
      response.on('end', () => reading?.('complete'));
      response.on('error', () => reading?.('broken'));
      response.on('close', () => reading?.(response.complete ? 'complete' : 'broken'));
    });
    if (limits.signal.aborted) onDeadline();
    else limits.signal.addEventListener('abort', onDeadline, { once: true });
    outgoing.end(body);
  });
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const tlsCodePattern =
  /^(ERR_TLS_|ERR_SSL_|EPROTO$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|ERR_CERT_)/;

/** A failure before any answer, by Node's error code: what the retry logic and the delivery log read. */
export function classifyNetworkError(error: unknown, host: string): PipelineError {
  const code = (error as { code?: unknown }).code;
  const nodeCode = typeof code === 'string' ? code : '';
  const message = error instanceof Error ? error.message : String(error);
  const as = (pipelineCode: TransientCode, what: string): PipelineError =>
    PipelineError.transient(pipelineCode, `${host}: ${what}: ${message}`, { host, nodeCode }, error);
  if (tlsCodePattern.test(nodeCode)) return as('webhook.tls-failed', 'TLS failed');
  if (resetCodes.has(nodeCode)) return as('webhook.connection-reset', 'the connection was reset');
  if (nodeCode.startsWith('HPE_')) return as('webhook.bad-answer', 'the answer is not valid HTTP');
  return as('webhook.connect-failed', 'the connection failed');
}
