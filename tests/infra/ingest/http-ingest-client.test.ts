import { expect, onTestFinished, test } from 'vitest';
import { postIngestBody } from '../../../infra/ingest/http-ingest-client';
import { PipelineError } from '../../../shared/errors';
import { serveOnLoopback } from '../../../testing/loopback-http';

/** A real HTTP server on loopback that answers from a script: what a pipeline's ingest endpoint might say. */
async function serve(answers: { status: number; headers?: Record<string, string>; body: unknown }[]) {
  const seen: { key: string | undefined; body: string }[] = [];
  const server = await serveOnLoopback((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ key: request.headers['x-functions-key'] as string | undefined, body });
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!;
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(JSON.stringify(answer.body));
    });
  });
  onTestFinished(() => server.close());
  return { apiBaseUrl: `${server.origin}/api`, seen };
}

const accepted = {
  status: 202,
  body: { received: 1, results: [{ id: 'a', topic: 't', outcome: 'accepted' }] },
};
const busy = (seconds: string) => ({
  status: 503,
  headers: { 'retry-after': seconds },
  body: { code: 'storage.unavailable', message: 'send again' },
});

test('a 503 is retried after its Retry-After (capped), then the outcomes are returned', async () => {
  const { apiBaseUrl, seen } = await serve([busy('7'), busy('3600'), accepted]);
  const waits: number[] = [];
  const results = await postIngestBody({ apiBaseUrl, functionKey: 'k1' }, '[{"id":"a"}]', {
    sleep: async (ms) => void waits.push(ms),
    maxRetryAfterMs: 60_000,
  });
  expect(results).toEqual([{ id: 'a', topic: 't', outcome: 'accepted' }]);
  expect(waits).toEqual([7_000, 60_000]);
  expect(seen.map((s) => s.key)).toEqual(['k1', 'k1', 'k1']);
  expect(seen.every((s) => s.body === '[{"id":"a"}]')).toBe(true);
});

test('the retries are bounded: still 503 after the last try is the transient replay.unavailable', async () => {
  const { apiBaseUrl, seen } = await serve([busy('1')]);
  const error = await postIngestBody({ apiBaseUrl }, '[]', { attempts: 3, sleep: async () => {} }).catch(
    (e: unknown) => e,
  );
  expect(PipelineError.is(error) && [error.code, error.retryable]).toEqual(['replay.unavailable', true]);
  expect(seen).toHaveLength(3);
});

test('a refusal (401, 413) is the permanent replay.refused naming the status and the pipeline code', async () => {
  const { apiBaseUrl, seen } = await serve([
    { status: 413, body: { code: 'ingest.too-large', message: 'm' } },
  ]);
  const error = await postIngestBody({ apiBaseUrl }, '[]', { sleep: async () => {} }).catch(
    (e: unknown) => e,
  );
  expect(PipelineError.is(error) && error.code).toBe('replay.refused');
  expect((error as PipelineError).message).toContain('HTTP 413 ingest.too-large');
  expect(seen).toHaveLength(1);
});
