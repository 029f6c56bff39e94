import { appendFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { uploadFixedVhd } from '../../../infra/images/page-blob-upload';
import type { PageBlob, PageBlobContainer } from '../../../infra/images/page-blob-port';
import { PipelineError } from '../../../shared/errors';
import { failure } from '../../../testing/failures';
import { MemoryPageBlobContainer, recordingContainer } from '../../../testing/images/page-blobs';
import { writeSparseVhd } from '../../../testing/images/sparse-vhd';
import { useTempDir } from '../../../testing/temp-dirs';

const MiB = 1024 * 1024;
const SIZE = 16 * MiB + 512;
const EXTENTS = [
  { offset: 0, length: 6 * MiB },
  { offset: 10 * MiB, length: 3 * MiB },
];

const unavailable = () => PipelineError.transient('storage.unavailable', 'storage answered 503');

describe('uploadFixedVhd on the memory twin', () => {
  const dir = useTempDir('azl-vhd-failures-');

  async function vhd(name: string): Promise<string> {
    const file = join(dir, name);
    await writeSparseVhd(file, SIZE, EXTENTS);
    return file;
  }

  test('retries a transient write failure and completes', async () => {
    const memory = new MemoryPageBlobContainer();
    const recorded = recordingContainer(memory, {
      failWrite: (n) => (n === 2 || n === 3 ? unavailable() : undefined),
    });
    const result = await uploadFixedVhd({
      file: await vhd('flaky.vhd'),
      container: recorded.container,
      blobName: 'flaky/1/flaky-1.vhd',
      parallelism: 1,
      retryDelayMs: 1,
    });
    expect(result.outcome).toBe('created');
    expect(result.bytesSent).toBe(9 * MiB + 512);
    expect(memory.blobs.get('flaky/1/flaky-1.vhd')?.metadata['complete']).toBe('true');
  });

  test('a transient failure that outlasts the attempts ends the upload, still transient, never complete', async () => {
    const memory = new MemoryPageBlobContainer();
    let writes = 0;
    const recorded = recordingContainer(memory, {
      failWrite: (n) => {
        writes = n;
        return n >= 2 ? unavailable() : undefined;
      },
    });
    const error = await failure(
      uploadFixedVhd({
        file: await vhd('down.vhd'),
        container: recorded.container,
        blobName: 'down/1/down-1.vhd',
        parallelism: 1,
        attempts: 3,
        retryDelayMs: 1,
      }),
    );
    expect(error).toMatchObject({ code: 'storage.unavailable', retryable: true });
    expect(writes).toBe(4); // one that worked, then the second write three times
    expect(memory.blobs.get('down/1/down-1.vhd')?.metadata['complete']).toBeUndefined();
  });

  test('a permanent failure is not retried and stops new writes', async () => {
    const memory = new MemoryPageBlobContainer();
    let attempts = 0;
    const recorded = recordingContainer(memory, {
      failWrite: () => {
        attempts += 1;
        return PipelineError.permanent('storage.rejected', 'storage answered 403');
      },
    });
    const error = await failure(
      uploadFixedVhd({
        file: await vhd('refused.vhd'),
        container: recorded.container,
        blobName: 'refused/1/refused-1.vhd',
        parallelism: 1,
        retryDelayMs: 1,
      }),
    );
    expect(error.code).toBe('storage.rejected');
    expect(attempts).toBe(1);
    expect(recorded.calls.filter((c) => c.op === 'setMetadata')).toEqual([]);
  });

  test('keeps at most `parallelism` writes in flight, and uses them', async () => {
    const memory = new MemoryPageBlobContainer();
    let inFlight = 0;
    let most = 0;
    const held: (() => void)[] = [];
    const slow: PageBlobContainer = {
      pageBlob(name): PageBlob {
        const blob = memory.pageBlob(name);
        return {
          ...blob,
          url: blob.url,
          async writePages(offset, body) {
            inFlight += 1;
            most = Math.max(most, inFlight);
            // Each write is held until three are in flight (or a second has passed, so an uploader that never
            // overlaps ends instead of hanging): whether the uploader overlaps no longer depends on timing.
            if (inFlight >= 3) for (const release of held.splice(0)) release();
            else
              await new Promise<void>((resolve) => {
                held.push(resolve);
                setTimeout(resolve, 1_000);
              });
            await blob.writePages(offset, body);
            inFlight -= 1;
          },
        };
      },
    };
    const file = join(dir, 'many.vhd');
    await writeSparseVhd(
      file,
      SIZE,
      Array.from({ length: 12 }, (_, i) => ({ offset: i * MiB, length: 4096 })),
    );
    await uploadFixedVhd({ file, container: slow, blobName: 'many/1/many-1.vhd', parallelism: 3 });
    expect(most).toBe(3);
  });

  test('refuses a file that is no fixed VHD before creating anything', async () => {
    const memory = new MemoryPageBlobContainer();
    const odd = join(dir, 'odd.vhd');
    await writeFile(odd, Buffer.alloc(1000, 1));
    const oddError = await failure(uploadFixedVhd({ file: odd, container: memory, blobName: 'odd' }));
    expect(oddError).toMatchObject({ code: 'image.vhd-invalid', retryable: false });

    const raw = join(dir, 'raw.img');
    await writeFile(raw, Buffer.alloc(4096, 7));
    const rawError = await failure(uploadFixedVhd({ file: raw, container: memory, blobName: 'raw' }));
    expect(rawError.code).toBe('image.vhd-invalid');
    expect(rawError.message).toContain('conectix');
    expect(memory.blobs.size).toBe(0);
  });

  test('a file modified during the upload is never marked complete', async () => {
    const memory = new MemoryPageBlobContainer();
    const file = await vhd('moving.vhd');
    let touched = false;
    const error = await failure(
      uploadFixedVhd({
        file,
        container: memory,
        blobName: 'moving/1/moving-1.vhd',
        parallelism: 1,
        onProgress: () => {
          if (touched) return;
          touched = true;
          appendFileSync(file, Buffer.alloc(512, 9));
        },
      }),
    );
    expect(error).toMatchObject({ code: 'image.vhd-changed', retryable: true });
    expect(memory.blobs.get('moving/1/moving-1.vhd')?.metadata['complete']).toBeUndefined();
  });
});
