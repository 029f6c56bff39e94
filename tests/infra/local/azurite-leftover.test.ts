import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startAzurite } from '../../../infra/local/azurite';
import type { AzuriteHandle } from '../../../infra/local/azurite';
import { findFreePorts } from '../../../infra/local/free-port';
import { ownerRecordOf } from '../../../infra/os/owner-record';
import { BlobStore } from '../../../infra/storage';

/**
 * The Azurite a killed `start` leaves on its data folder (it leads its own process group, so it outlives a
 * SIGKILLed parent). Here the "previous run" is a handle this test simply never stops: to the next start the
 * two look the same, a recorded instance still running on the folder.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'azl-azurite-leftover-'));
const handles: AzuriteHandle[] = [];
afterAll(async () => {
  for (const handle of handles) await handle.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Whether `pid` still runs after a moment (a stopped child of this runner is reaped by its event loop). */
async function alive(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && running(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return running(pid);
}

async function leftOver(location: string): Promise<AzuriteHandle> {
  const previous = await startAzurite({ persistence: { location } });
  handles.push(previous);
  const blobs = new BlobStore({ connectionString: previous.connectionString });
  await blobs.ensureContainer('kept');
  await blobs.put('kept', 'repomd.xml', '<repomd/>');
  return previous;
}

test('the Azurite left running on the folder is adopted on its ports, with no gap; stopping it ends it', async () => {
  const location = join(dataDir, 'adopt');
  const previous = await leftOver(location);

  const next = await startAzurite({ persistence: { location } });
  handles.push(next);
  expect(next.pid).toBe(previous.pid);
  expect([next.blobPort, next.queuePort, next.tablePort]).toEqual([
    previous.blobPort,
    previous.queuePort,
    previous.tablePort,
  ]);
  const blobs = new BlobStore({ connectionString: next.connectionString });
  expect((await blobs.get('kept', 'repomd.xml'))?.bytes.toString()).toBe('<repomd/>');

  await next.stop();
  expect(await alive(previous.pid)).toBe(false);
  // A start after that launches a new one, with the data kept.
  const fresh = await startAzurite({ persistence: { location } });
  handles.push(fresh);
  expect(fresh.pid).not.toBe(previous.pid);
  const again = new BlobStore({ connectionString: fresh.connectionString });
  expect((await again.get('kept', 'repomd.xml'))?.bytes.toString()).toBe('<repomd/>');
  await fresh.stop();
}, 90_000);

test('a leftover on other ports than the requested ones is stopped, and a new one serves the same data', async () => {
  const location = join(dataDir, 'replace');
  const previous = await leftOver(location);
  const [blob, queue, table] = await findFreePorts(3);

  const next = await startAzurite({
    persistence: { location },
    blobPort: blob,
    queuePort: queue,
    tablePort: table,
  });
  handles.push(next);
  expect(await alive(previous.pid)).toBe(false);
  expect(next.pid).not.toBe(previous.pid);
  expect(next.blobPort).toBe(blob);
  const blobs = new BlobStore({ connectionString: next.connectionString });
  expect((await blobs.get('kept', 'repomd.xml'))?.bytes.toString()).toBe('<repomd/>');
  await next.stop();
}, 90_000);

test('a record naming a process that is not Azurite on this folder is not adopted', async () => {
  const location = join(dataDir, 'foreign');
  const previous = await leftOver(location);
  await previous.stop();
  // A live process that serves no folder: this test runner.
  writeFileSync(
    join(location, 'azurite-instance.json'),
    JSON.stringify({
      ...ownerRecordOf(process.pid),
      blob: previous.blobPort,
      queue: previous.queuePort,
      table: previous.tablePort,
    }),
  );
  const next = await startAzurite({ persistence: { location } });
  handles.push(next);
  expect(next.pid).not.toBe(process.pid);
  expect(await alive(next.pid)).toBe(true);
  await next.stop();
}, 90_000);
