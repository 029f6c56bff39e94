import { afterAll, beforeAll, expect, test } from 'vitest';
import { fedoraIngestFunction, MAX_INGEST_BODY_BYTES } from '../../functions/fedora-ingest';
import type { RunningHttpServer } from '../../hosts/local/functions-host/http-server';
import { startHttpServer } from '../../hosts/local/functions-host/http-server';
import { silentLogger } from '../../shared/logger';
import { PipelineError } from '../../shared/errors';
import type { IngestResult, IngestSink } from '../../shared/fedora/ingest-port';
import { fakeServices } from '../../testing/fakes/services';

/** A sink at the port: records what it got; fails when told to. */
const submitted: unknown[][] = [];
let failWith: Error | undefined;
const sink: IngestSink = {
  submit: async (messages): Promise<IngestResult[]> => {
    if (failWith) throw failWith;
    submitted.push([...messages]);
    return messages.map((m) => ({ id: (m as { id?: string }).id, topic: 't', outcome: 'accepted' }));
  },
};

let server: RunningHttpServer;
const key = 'test-key';
beforeAll(async () => {
  const fn = fedoraIngestFunction(async () => fakeServices({ ingest: sink }));
  server = await startHttpServer({
    functions: [fn],
    port: 0,
    functionKeys: { default: key },
    logger: silentLogger,
  });
});
afterAll(() => server.close());

const post = (body: string, headers: Record<string, string> = { 'x-functions-key': key }) =>
  fetch(`${server.url}/api/fedora/messages`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });

test('one message or an array is handed to ingest, and each outcome comes back with 202', async () => {
  submitted.length = 0;
  const single = await post(JSON.stringify({ id: 'm1', topic: 'x', body: {} }));
  expect(single.status).toBe(202);
  expect(await single.json()).toEqual({
    received: 1,
    results: [{ id: 'm1', topic: 't', outcome: 'accepted' }],
  });
  const many = await post(JSON.stringify([{ id: 'm2' }, { id: 'm3' }]));
  expect(((await many.json()) as { received: number }).received).toBe(2);
  expect(submitted).toEqual([[{ id: 'm1', topic: 'x', body: {} }], [{ id: 'm2' }, { id: 'm3' }]]);
});

test('a body that is not JSON is a 400 with a code', async () => {
  const response = await post('{"id": "m1", ');
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ code: 'ingest.invalid-json' });
});

test('a body over 1 MiB is a 413, and nothing is submitted', async () => {
  submitted.length = 0;
  const big = JSON.stringify([{ id: 'big', pad: 'x'.repeat(MAX_INGEST_BODY_BYTES) }]);
  const response = await post(big);
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ code: 'ingest.too-large' });
  expect(submitted).toEqual([]);
});

test('without the function key the request is refused', async () => {
  const response = await post('{}', {});
  expect(response.status).toBe(401);
});

test('when ingest cannot queue, the answer is 503 with Retry-After, so the sender sends again', async () => {
  failWith = PipelineError.transient('servicebus.unavailable', 'Service Bus did not answer');
  try {
    const response = await post(JSON.stringify({ id: 'm9' }));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await response.json()).toMatchObject({ code: 'servicebus.unavailable' });
  } finally {
    failWith = undefined;
  }
});
