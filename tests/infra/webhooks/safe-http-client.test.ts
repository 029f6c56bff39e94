import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { createSafeHttpClient, systemResolver } from '../../../infra/webhooks/safe-http-client';
import type { HostResolver, SafeHttpClientOptions } from '../../../infra/webhooks/safe-http-client';
import type { AttemptOutcome, WebhookPost } from '../../../shared/webhooks/delivery-attempt';
import { strictDestinationPolicy } from '../../../shared/webhooks/destination-policy';
import { closedPort } from '../../../testing/loopback-http';
import { useTempDir } from '../../../testing/temp-dirs';
import { receiverPki, startRawReceiver, startReceiver } from '../../../testing/webhooks/receivers';
import type { ReceiverHandler, TestReceiver } from '../../../testing/webhooks/receivers';

// A name no real DNS knows: a request that reaches the receiver through it was connected to the address the
// stub resolver gave and the client checked, not to one Node looked up again.
const receiverName = 'receiver.example.test';
const pki = receiverPki(useTempDir('azl-webhook-pki-'), [receiverName]);

const stopAfterTest: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stopAfterTest.splice(0).map((stop) => stop()));
});

async function receiver(handle: ReceiverHandler, tls: boolean = true): Promise<TestReceiver> {
  const started = await startReceiver(handle, tls ? pki : undefined);
  stopAfterTest.push(() => started.close());
  return started;
}

async function rawReceiver(...args: Parameters<typeof startRawReceiver>): Promise<{ port: number }> {
  const started = await startRawReceiver(...args);
  stopAfterTest.push(() => started.close());
  return started;
}

/** A resolver that knows `table` and counts its calls. */
function stubResolver(table: Record<string, readonly string[]>): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (host: string) => {
    calls.push(host);
    const addresses = table[host];
    if (addresses === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({
      address,
      family: address.includes(':') ? (6 as const) : (4 as const),
    }));
  };
  return Object.assign(resolve, { calls });
}

const localDns = () => stubResolver({ [receiverName]: ['127.0.0.1'] });

/** The client as the local runtime has it: loopback allowed, the test CA trusted, a short limit. */
function localClient(options: SafeHttpClientOptions = {}) {
  return createSafeHttpClient({
    policy: { allowLoopback: true },
    resolve: localDns(),
    ca: pki.ca,
    timeoutMs: 5_000,
    ...options,
  });
}

const event: Omit<WebhookPost, 'url'> = {
  body: '{"specversion":"1.0","id":"evt_1","type":"com.azurelinux.rebuilder.build.succeeded"}',
  headers: { 'content-type': 'application/cloudevents+json', 'webhook-id': 'msg_1' },
};

const at = (port: number, path = '/hook', scheme = 'https') => `${scheme}://${receiverName}:${port}${path}`;

function answered(outcome: AttemptOutcome) {
  if (outcome.kind !== 'answered')
    throw new Error(`expected an answer, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome;
}

function failed(outcome: AttemptOutcome) {
  if (outcome.kind !== 'failed') throw new Error(`expected a failure, got status ${outcome.status}`);
  return outcome.error;
}

const answer =
  (status: number, headers: Record<string, string> = {}, body = '') =>
  (_: unknown, response: ServerResponse) =>
    void response.writeHead(status, headers).end(body);

describe('a delivery attempt that gets an answer', () => {
  it('POSTs over TLS to the checked address, with SNI and Host the name, resolving once', async () => {
    const target = await receiver(answer(200, { 'content-type': 'text/plain' }, 'ok'));
    const resolve = localDns();
    const client = localClient({ resolve });
    const outcome = answered(
      await client.post({
        url: at(target.port, '/hook?x=1'),
        ...event,
        headers: { ...event.headers, Host: 'evil.example' },
      }),
    );
    expect(outcome).toMatchObject({ status: 200, bodyExcerpt: 'ok', bodyEnd: 'complete' });
    expect(outcome.headers['content-type']).toBe('text/plain');
    expect(resolve.calls).toEqual([receiverName]);
    expect(target.received).toHaveLength(1);
    const [request] = target.received;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/hook?x=1',
      body: event.body,
      servername: receiverName,
    });
    expect(request?.headers).toMatchObject({
      host: `${receiverName}:${target.port}`,
      'content-type': 'application/cloudevents+json',
      'webhook-id': 'msg_1',
      'content-length': String(Buffer.byteLength(event.body)),
    });
  });

  it('reports 410 and 429 with its Retry-After as answers', async () => {
    const gone = await receiver(answer(410, {}, 'gone'));
    const busy = await receiver(answer(429, { 'retry-after': '120' }));
    const client = localClient();
    expect(answered(await client.post({ url: at(gone.port), ...event }))).toMatchObject({
      status: 410,
      bodyExcerpt: 'gone',
    });
    const throttled = answered(await client.post({ url: at(busy.port), ...event }));
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('120');
  });

  it('follows no redirect, to a refused address or an allowed one: a 3xx is the answer', async () => {
    const elsewhere = await receiver(answer(200));
    const toMetadata = await receiver(answer(302, { location: 'http://169.254.169.254/latest/meta-data/' }));
    const toElsewhere = await receiver(answer(307, { location: `${elsewhere.origin}/hook` }));
    const client = localClient();
    const metadata = answered(await client.post({ url: at(toMetadata.port), ...event }));
    expect(metadata.status).toBe(302);
    expect(metadata.headers.location).toBe('http://169.254.169.254/latest/meta-data/');
    expect(answered(await client.post({ url: at(toElsewhere.port), ...event })).status).toBe(307);
    expect(elsewhere.received).toHaveLength(0);
  });

  it('reads an endless body up to the cap, then closes the connection', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const endless = await receiver((_, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.on('close', closed);
      const more = (): void => {
        while (!response.destroyed && response.write('x'.repeat(16 * 1024)));
        if (!response.destroyed) response.once('drain', more);
      };
      more();
    });
    const outcome = answered(
      await localClient({ maxBodyBytes: 64 * 1024 }).post({ url: at(endless.port), ...event }),
    );
    expect(outcome.bodyEnd).toBe('capped');
    expect(Buffer.byteLength(outcome.bodyExcerpt)).toBe(64 * 1024);
    await connectionClosed;
  });

  it('keeps what a slow-drip body sent by the limit, with the status it answered', async () => {
    const dripping = await receiver((_, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const drip = setInterval(() => response.write('.'), 20);
      response.on('close', () => clearInterval(drip));
    });
    const outcome = answered(
      await localClient({ timeoutMs: 1_000 }).post({ url: at(dripping.port), ...event }),
    );
    expect(outcome).toMatchObject({ status: 200, bodyEnd: 'time-limit' });
    expect(outcome.bodyExcerpt).toMatch(/^\.+$/);
  });

  it('sends plain http to loopback when allowed, resolving localhost with the system resolver', async () => {
    const plain = await receiver(answer(204), false);
    const client = localClient({ resolve: systemResolver });
    const outcome = answered(await client.post({ url: `http://127.0.0.1:${plain.port}/hook`, ...event }));
    expect(outcome.status).toBe(204);
    expect(answered(await client.post({ url: `http://localhost:${plain.port}/hook`, ...event })).status).toBe(
      204,
    );
    expect(plain.received).toHaveLength(2);
  });
});

describe('a destination the policy refuses', () => {
  it('refuses loopback without allowLoopback, and the receiver gets nothing', async () => {
    const target = await receiver(answer(200));
    const client = createSafeHttpClient({ resolve: localDns(), ca: pki.ca });
    for (const url of [
      `https://127.0.0.1:${target.port}/`,
      at(target.port),
      `https://[::ffff:127.0.0.1]:${target.port}/`,
    ]) {
      const error = failed(await client.post({ url, ...event }));
      expect(error.code, url).toBe('webhook.destination-refused');
      expect(error.context.reason, url).toBe('loopback');
    }
    expect(
      failed(await client.post({ url: `http://127.0.0.1:${target.port}/`, ...event })).context.reason,
    ).toBe('plain-http-not-loopback');
    expect(
      failed(await client.post({ url: `https://2130706433:${target.port}/`, ...event })).context,
    ).toMatchObject({
      reason: 'loopback',
      address: '127.0.0.1',
    });
    expect(target.received).toHaveLength(0);
  });

  it.each([
    ['10.0.0.7', 'private'],
    ['172.20.1.1', 'private'],
    ['192.168.178.1', 'private'],
    ['169.254.10.1', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['100.64.1.1', 'carrierGradeNat'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['224.0.0.251', 'multicast'],
    ['ff05::2', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
    ['2001:db8::5', 'reserved'],
    ['169.254.169.254', 'cloud-metadata'],
    ['168.63.129.16', 'cloud-metadata'],
    ['fd00:ec2::254', 'cloud-metadata'],
    ['::ffff:10.0.0.7', 'private'],
    ['::ffff:169.254.169.254', 'cloud-metadata'],
    ['::ffff:168.63.129.16', 'cloud-metadata'],
    ['64:ff9b::192.168.0.1', 'private'],
  ])('refuses a name that resolves to %s (%s), even with loopback allowed', async (address, reason) => {
    const resolve = stubResolver({ 'hooks.example.com': [address] });
    const client = createSafeHttpClient({ policy: { allowLoopback: true }, resolve });
    const error = failed(await client.post({ url: 'https://hooks.example.com/hook', ...event }));
    expect(error.code).toBe('webhook.destination-refused');
    expect(error.context).toMatchObject({ field: 'url', reason, host: 'hooks.example.com', address });
    expect(resolve.calls).toEqual(['hooks.example.com']);
  });

  it('refuses a name with one refused address among public ones', async () => {
    const resolve = stubResolver({ 'hooks.example.com': ['1.1.1.1', '2606:4700:4700::1111', '10.9.8.7'] });
    const error = failed(
      await createSafeHttpClient({ resolve }).post({ url: 'https://hooks.example.com/', ...event }),
    );
    expect(error.context).toMatchObject({ reason: 'private', address: '10.9.8.7' });
  });

  it('refuses a URL with credentials, another scheme or plain http, before resolving anything', async () => {
    const resolve = stubResolver({});
    const client = createSafeHttpClient({ policy: strictDestinationPolicy, resolve });
    for (const [url, reason] of [
      ['https://me:pw@hooks.example.com/', 'credentials'],
      ['ftp://hooks.example.com/', 'scheme'],
      ['http://hooks.example.com/', 'plain-http-not-loopback'],
    ] as const)
      expect(failed(await client.post({ url, ...event })).context.reason, url).toBe(reason);
    expect(resolve.calls).toEqual([]);
  });
});

describe('an attempt that gets no answer', () => {
  it('ends at the limit when the receiver takes the request and never answers', async () => {
    const hanging = await receiver(() => undefined);
    const error = failed(await localClient({ timeoutMs: 300 }).post({ url: at(hanging.port), ...event }));
    expect(error).toMatchObject({ code: 'webhook.timeout', retryable: true });
    expect(hanging.received).toHaveLength(1);
  });

  it('ends at the limit when the TLS handshake never comes', async () => {
    const silent = await rawReceiver(() => undefined);
    const error = failed(await localClient({ timeoutMs: 300 }).post({ url: at(silent.port), ...event }));
    expect(error.code).toBe('webhook.timeout');
  });

  it('ends at the limit when the status line and headers drip in byte by byte', async () => {
    const dripping = await rawReceiver((socket) => {
      const head = 'HTTP/1.1 200 OK\r\nX-Slow: ' + 'x'.repeat(1000);
      let sent = 0;
      const drip = setInterval(() => {
        if (sent < head.length && !socket.destroyed) socket.write(head[sent++] ?? '');
      }, 10);
      socket.on('close', () => clearInterval(drip));
    }, pki);
    const error = failed(await localClient({ timeoutMs: 400 }).post({ url: at(dripping.port), ...event }));
    expect(error.code).toBe('webhook.timeout');
  });

  it('ends at the limit when the resolver never answers', async () => {
    const resolve: HostResolver = () => new Promise(() => undefined);
    const error = failed(await localClient({ resolve, timeoutMs: 200 }).post({ url: at(443), ...event }));
    expect(error.code).toBe('webhook.timeout');
    expect(error.context.stage).toBe('resolving the host');
  });

  it('classifies a connection reset (RST) or closed by the receiver before it answered', async () => {
    const resetting = await rawReceiver((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const client = localClient();
    const reset = failed(await client.post({ url: `http://127.0.0.1:${resetting.port}/hook`, ...event }));
    expect(reset).toMatchObject({ code: 'webhook.connection-reset', retryable: true });
    const closing = await receiver((_, response) => response.socket?.destroy());
    expect(failed(await client.post({ url: at(closing.port), ...event })).code).toBe(
      'webhook.connection-reset',
    );
    expect(closing.received).toHaveLength(1);
  });

  it('classifies a refused connection, a name that does not resolve, and an answer that is not HTTP', async () => {
    const client = localClient();
    expect(failed(await client.post({ url: at(await closedPort()), ...event })).code).toBe(
      'webhook.connect-failed',
    );
    expect(failed(await client.post({ url: 'https://nowhere.example.test/', ...event })).code).toBe(
      'webhook.dns-failed',
    );
    const garbage = await rawReceiver((socket) => socket.end('this is not HTTP\r\n\r\n'), pki);
    expect(failed(await client.post({ url: at(garbage.port), ...event })).code).toBe('webhook.bad-answer');
  });

  it('classifies TLS failures: an untrusted certificate and a name the certificate does not cover', async () => {
    const target = await receiver(answer(200));
    const untrusting = createSafeHttpClient({ policy: { allowLoopback: true }, resolve: localDns() });
    expect(failed(await untrusting.post({ url: at(target.port), ...event })).code).toBe('webhook.tls-failed');
    const otherName = localClient({ resolve: stubResolver({ 'other.example.test': ['127.0.0.1'] }) });
    const error = failed(
      await otherName.post({ url: `https://other.example.test:${target.port}/`, ...event }),
    );
    expect(error.code).toBe('webhook.tls-failed');
    expect(target.received).toHaveLength(0);
  });
});
