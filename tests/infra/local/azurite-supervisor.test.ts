import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startSupervisedAzurite } from '../../../infra/local/azurite-supervisor';
import type { SupervisedAzurite } from '../../../infra/local/azurite-supervisor';
import { BlobStore } from '../../../infra/storage';

const dataDir = mkdtempSync(join(tmpdir(), 'azl-azurite-supervised-'));
let azurite: SupervisedAzurite | undefined;

afterAll(async () => {
  await azurite?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const listen = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

test('Azurite that exits is started again on the same ports with its data, also after a port was taken for a while', async () => {
  azurite = await startSupervisedAzurite(
    { persistence: { location: dataDir } },
    { restartDelayMs: () => 200 },
  );
  const blobs = new BlobStore({ connectionString: azurite.connectionString });
  await blobs.ensureContainer('kept');
  await blobs.put('kept', 'before.txt', 'written before the exit');

  // Stopped from outside (SIGTERM: Azurite saves its data and exits): it comes back by itself.
  const first = azurite.pid();
  process.kill(-first, 'SIGTERM');
  await until('a new Azurite', () => azurite!.pid() !== 0 && azurite!.pid() !== first);
  expect(isAlive(first)).toBe(false);
  expect(azurite.restarts()).toBe(1);
  expect((await blobs.get('kept', 'before.txt'))?.bytes.toString()).toBe('written before the exit');

  // Its blob port is taken while it is down: restarts keep failing until the port is free again.
  const second = azurite.pid();
  process.kill(-second, 'SIGTERM');
  await until('the exit', () => !isAlive(second));
  const squatter = await listen(azurite.ports.blob);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(azurite.pid(), 'no Azurite while its port is taken').toBe(0);
  await new Promise<void>((resolve) => squatter.close(() => resolve()));
  await until('Azurite after the port was freed', () => azurite!.pid() !== 0);
  expect(azurite.restarts()).toBe(2);
  await blobs.put('kept', 'after.txt', 'written after the restarts');
  expect((await blobs.get('kept', 'after.txt'))?.bytes.toString()).toBe('written after the restarts');

  // stop() ends it for good: no restart follows.
  const last = azurite.pid();
  await azurite.stop();
  expect(isAlive(last)).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(azurite.pid()).toBe(0);
  expect(azurite.restarts()).toBe(2);
}, 90_000);
