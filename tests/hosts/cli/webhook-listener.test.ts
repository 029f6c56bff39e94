import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../../hosts/cli/main';
import type { RunningWebhookListener } from '../../../hosts/cli/webhook-listener';
import { startWebhookListener } from '../../../hosts/cli/webhook-listener';
import { runListen } from '../../../hosts/cli/webhooks-listen-run';
import { buildDeliveryRequest } from '../../../shared/webhooks/delivery-request';
import type { WebhookDeliveryRequest } from '../../../shared/webhooks/delivery-request';
import { newSecretSet } from '../../../shared/webhooks/secret-rotation';
import { randomWebhookSecret } from '../../../infra/webhooks/random-webhook-secret';
import { serveOnLoopback } from '../../../testing/loopback-http';
import { sampleCloudEvent } from '../../../testing/webhooks/sample-cloud-event';
import { waitFor } from '../../../testing/wait-for';

/**
 * `webhooks listen` receives what the pipeline sends: requests built by the delivery's own
 * `buildDeliveryRequest` (signed as Standard Webhooks says) and POSTed over real HTTP.
 */
const secret = randomWebhookSecret();
const event = sampleCloudEvent();

const signed = (overrides: { secret?: string; at?: Date } = {}): WebhookDeliveryRequest =>
  buildDeliveryRequest({
    event,
    secrets: newSecretSet(randomOr(overrides.secret)),
    attemptAt: overrides.at ?? new Date(),
    senderVersion: '0.0.0-test',
  });
const randomOr = (given: string | undefined) => (given ?? secret) as ReturnType<typeof randomWebhookSecret>;

const post = (url: string, request: { headers: Record<string, string>; body: Uint8Array | string }) =>
  fetch(url, { method: 'POST', headers: request.headers, body: request.body });

let listener: RunningWebhookListener | undefined;
let lines: string[] = [];
const listen = async (withSecret: string | undefined) => {
  lines = [];
  listener = await startWebhookListener({
    port: 0,
    host: '127.0.0.1',
    ...(withSecret === undefined ? {} : { secret: withSecret }),
    out: (line) => lines.push(line),
  });
  return listener.url;
};
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

describe('with --secret', () => {
  test('a signed CloudEvent: 204 and one line with its time, type, subject, webhook-id, verified', async () => {
    const url = await listen(secret);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const answer = await post(url, signed());
    expect(answer.status).toBe(204);
    expect(lines).toEqual([
      `${String(event.time)}  build.succeeded  kernel  webhook-id=${event.id}  verified`,
    ]);
  });

  test('a tampered body: 401, and the line says the signature was not verified', async () => {
    const url = await listen(secret);
    const request = signed();
    const tampered = new TextDecoder().decode(request.body).replace('kernel', 'kernal');
    const answer = await post(url, { headers: { ...request.headers }, body: tampered });
    expect(answer.status).toBe(401);
    expect(await answer.text()).toContain('signature not verified');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^\\S+  refused  webhook-id=${event.id}  401: signature not verified: `),
    );
  });

  test('signed with another secret, or too old: 401', async () => {
    const url = await listen(secret);
    expect((await post(url, signed({ secret: randomWebhookSecret() }))).status).toBe(401);
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    expect((await post(url, signed({ at: hourAgo }))).status).toBe(401);
    expect(lines.every((line) => line.includes('refused'))).toBe(true);
    expect(lines).toHaveLength(2);
  });

  test('unsigned: 401', async () => {
    const url = await listen(secret);
    const { body } = signed();
    const answer = await post(url, { headers: { 'content-type': 'application/json' }, body });
    expect(answer.status).toBe(401);
  });
});

describe('without a secret', () => {
  test('prints the event as unverified and answers 204', async () => {
    const url = await listen(undefined);
    expect((await post(url, signed())).status).toBe(204);
    expect(lines).toEqual([
      `${String(event.time)}  build.succeeded  kernel  webhook-id=${event.id}  unverified`,
    ]);
  });

  test('an event with no time or subject is printed with the time it came and -', async () => {
    const url = await listen(undefined);
    const { time: _time, subject: _subject, ...bare } = sampleCloudEvent({ type: 'org.example.other' });
    const answer = await post(url, { headers: { 'webhook-id': 'x1' }, body: JSON.stringify(bare) });
    expect(answer.status).toBe(204);
    expect(lines[0]).toMatch(
      /^\d{4}-\d{2}-\d{2}T\S+Z {2}org\.example\.other {2}- {2}webhook-id=x1 {2}unverified$/,
    );
  });

  test.each([
    ['not JSON', 'not a CloudEvent: the body is not JSON'],
    ['[1,2]', 'not a CloudEvent: the body is not one JSON object'],
    [JSON.stringify({ specversion: '1.0', id: 'a', source: 's' }), 'not a CloudEvent: no type'],
  ])('%s: 400 saying why', async (body, why) => {
    const url = await listen(undefined);
    const answer = await post(url, { headers: {}, body });
    expect(answer.status).toBe(400);
    expect(lines[0]).toContain(`400: ${why}`);
  });

  test('not a POST: 405; a body over the limit: 413', async () => {
    listener = await startWebhookListener({
      port: 0,
      host: '127.0.0.1',
      maxBodyBytes: 100,
      out: (line) => lines.push(line),
    });
    lines = [];
    expect((await fetch(listener.url)).status).toBe(405);
    const big = await post(listener.url, { headers: {}, body: JSON.stringify(sampleCloudEvent()) });
    expect(big.status).toBe(413);
    expect(lines.map((line) => line.split('  ')[3]?.slice(0, 3))).toEqual(['405', '413']);
  });
});

describe('the command', () => {
  let stdout = '';
  let stderr = '';
  beforeEach(() => {
    stdout = '';
    stderr = '';
    const capture = (append: (text: string) => void) =>
      ((chunk: string | Uint8Array, encodingOrDone?: unknown, done?: unknown) => {
        append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
        const callback = typeof encodingOrDone === 'function' ? encodingOrDone : done;
        if (typeof callback === 'function') (callback as () => void)();
        return true;
      }) as typeof process.stdout.write;
    vi.spyOn(process.stdout, 'write').mockImplementation(capture((text) => (stdout += text)));
    vi.spyOn(process.stderr, 'write').mockImplementation(capture((text) => (stderr += text)));
  });
  afterEach(() => vi.restoreAllMocks());

  test('prints its URL, then a line per event on stdout, until stopped (exit 0)', async () => {
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const running = runListen({ port: 0, host: '127.0.0.1', secret }, () => stopped);
    const url = await waitFor('the listening line', () => /listening on (\S+)/.exec(stdout)?.[1], {
      timeoutMs: 10_000,
      context: () => stdout + stderr,
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(stdout).toContain('verifying signatures with the given secret');
    expect((await post(url, signed())).status).toBe(204);
    stop();
    expect(await running).toBe(0);
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/build\.succeeded {2}kernel .* verified$/);
    await expect(fetch(url)).rejects.toThrow();
  });

  test('a port in use: webhooks.listen-failed on stderr, exit 1', async () => {
    const taken = await serveOnLoopback(() => undefined);
    try {
      const code = await runListen(
        { port: taken.port, host: '127.0.0.1' },
        () => new Promise(() => undefined),
      );
      expect(code).toBe(1);
      expect(stderr).toMatch(/^azl-rebuilder webhooks listen: webhooks\.listen-failed: .*EADDRINUSE/);
    } finally {
      await taken.close();
    }
  });

  test('a --secret that is not whsec_…: usage error (exit 2) before listening', async () => {
    expect(await main(['webhooks', 'listen', '--secret', 'hunter2'])).toBe(2);
    expect(stderr).toContain("option '--secret <whsec>' argument 'hunter2' is invalid");
    expect(stdout).toBe('');
  });
});
