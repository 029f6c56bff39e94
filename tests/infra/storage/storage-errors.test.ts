import { RestError } from '@azure/storage-blob';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import { findFreePorts } from '../../../infra/local/free-port';
import { BlobStore, classifyStorageError, TableStore } from '../../../infra/storage';
import { PipelineError } from '../../../shared/errors';

const place = { account: 'acct', container: 'repo', blob: 'repomd.xml', unused: undefined };

describe('classifyStorageError', () => {
  test.each([
    [404, 'storage.not-found', false],
    [409, 'storage.conflict', false],
    [412, 'storage.precondition-failed', false],
    [416, 'storage.invalid-range', false],
    [400, 'storage.rejected', false],
    [403, 'storage.rejected', false],
    [408, 'storage.unavailable', true],
    [429, 'storage.unavailable', true],
    [500, 'storage.unavailable', true],
    [503, 'storage.unavailable', true],
  ])('HTTP %i is %s (retryable: %s)', (status, code, retryable) => {
    const error = classifyStorageError(
      new RestError('boom\nRequestId:1', { statusCode: status }),
      'put',
      place,
    );
    expect(error).toMatchObject({ code, retryable, message: 'storage put failed: boom' });
    expect(error.context).toEqual({ account: 'acct', container: 'repo', blob: 'repomd.xml', status });
  });

  test('a 409 for a copy still pending on the blob is retryable; another 409 is a conflict', () => {
    const pending = new RestError('There is currently a pending copy operation.', { statusCode: 409 });
    Object.assign(pending, { details: { errorCode: 'PendingCopyOperation' } });
    expect(classifyStorageError(pending, 'copy', place)).toMatchObject({
      code: 'storage.unavailable',
      retryable: true,
      context: { errorCode: 'PendingCopyOperation', status: 409 },
    });
    const exists = new RestError('The specified blob already exists.', { statusCode: 409 });
    Object.assign(exists, { details: { errorCode: 'BlobAlreadyExists' } });
    expect(classifyStorageError(exists, 'put', place)).toMatchObject({
      code: 'storage.conflict',
      retryable: false,
    });
  });

  test('connection failures are retryable, also when wrapped as a cause', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyStorageError(reset, 'get').code).toBe('storage.unavailable');
    const wrapped = new RestError('send failed', { code: 'REQUEST_SEND_ERROR' });
    expect(classifyStorageError(wrapped, 'get')).toMatchObject({
      code: 'storage.unavailable',
      retryable: true,
    });
    const nested = new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ETIMEDOUT' }) });
    expect(classifyStorageError(nested, 'get').retryable).toBe(true);
  });

  test('PipelineErrors pass through; unknown errors are permanent storage.failed', () => {
    const original = PipelineError.transient('sources.unavailable', 'already classified');
    expect(classifyStorageError(original, 'get')).toBe(original);
    expect(classifyStorageError(new TypeError('bug'), 'get')).toMatchObject({
      code: 'storage.failed',
      retryable: false,
    });
  });

  test('a refused connection from the real adapters is storage.unavailable', async () => {
    const [port] = await findFreePorts(1);
    const connectionString =
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;' +
      `BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
    const blobs = new BlobStore({ connectionString }, { maxTries: 1 });
    const tables = new TableStore({ connectionString }, { maxTries: 1 });
    for (const attempt of [blobs.get('repo', 'a'), tables.get('builds', 'p', 'r')]) {
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'storage.unavailable', retryable: true });
    }
  });

  test('a call that gets no answer ends at its client limit as storage.unavailable, for blobs and tables', async () => {
    // A listener that accepts and never answers: without a per-try timeout the SDK calls would wait forever.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const connectionString =
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;' +
      `BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
    try {
      // Blobs: a limit for the whole operation, retries included; tables: a limit for each attempt.
      const blobs = new BlobStore({ connectionString }, { operationTimeoutMs: 500 });
      const tables = new TableStore({ connectionString }, { tryTimeoutMs: 250 });
      for (const attempt of [() => blobs.get('repo', 'a'), () => tables.get('builds', 'p', 'r')]) {
        const error = await attempt().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toMatchObject({ code: 'storage.unavailable', retryable: true });
      }
      expect(sockets.size, 'both calls reached the listener').toBeGreaterThanOrEqual(2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 10_000);
});
