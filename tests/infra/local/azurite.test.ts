import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { startAzurite } from '../../../infra/local/azurite';
import type { AzuriteHandle } from '../../../infra/local/azurite';
import { BlobStore } from '../../../infra/storage';
import { PipelineError } from '../../../shared/errors';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

describe('startAzurite', () => {
  const started: AzuriteHandle[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'azl-azurite-'));
  afterAll(async () => {
    await Promise.all(started.map((handle) => handle.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a requested port that is taken fails with azurite.port-in-use naming the port', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const address = squatter.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const error = await startAzurite({ persistence: 'memory', tablePort: port }).catch((e: unknown) => e);
      expect(PipelineError.is(error, 'azurite.port-in-use')).toBe(true);
      expect((error as PipelineError).context).toMatchObject({ service: 'table', port });
      expect((error as PipelineError).message).toContain(String(port));
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  test('with --location a blob survives stop and start; stop leaves no process and is idempotent', async () => {
    const first = await startAzurite({ persistence: { location: dataDir } });
    started.push(first);
    const blobs = new BlobStore({ connectionString: first.connectionString });
    await blobs.ensureContainer('persisted');
    await blobs.put('persisted', 'repomd.xml', '<repomd/>');
    expect(isAlive(first.pid)).toBe(true);

    await first.stop();
    expect(isAlive(first.pid)).toBe(false);
    await first.stop();

    const second = await startAzurite({ persistence: { location: dataDir } });
    started.push(second);
    const again = new BlobStore({ connectionString: second.connectionString });
    expect((await again.get('persisted', 'repomd.xml'))?.bytes.toString()).toBe('<repomd/>');
    await second.stop();
    expect(isAlive(second.pid)).toBe(false);
  });

  test('not answering before the deadline is azurite.not-ready, and the child is gone', async () => {
    const error = await startAzurite({ persistence: 'memory', readyTimeoutMs: 1 }).catch((e: unknown) => e);
    expect(PipelineError.is(error, 'azurite.not-ready')).toBe(true);
    const pid = (error as PipelineError).context.pid;
    expect(typeof pid).toBe('number');
    expect(isAlive(pid as number)).toBe(false);
  });
});
