import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { lockFolder } from '../../../infra/building/folder-lock';

const dir = mkdtempSync(join(tmpdir(), 'azl-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a second holder waits until the first releases the folder', async () => {
  const path = join(dir, 'component');
  const order: string[] = [];
  const release = await lockFolder(path);
  const second = lockFolder(path, { pollMs: 10 }).then((unlock) => {
    order.push('second');
    return unlock;
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  order.push('first releases');
  await release();
  await (
    await second
  )();
  expect(order).toEqual(['first releases', 'second']);
});

test('a lock left by a process that is gone is taken over; a live one times out', async () => {
  const path = join(dir, 'stale');
  writeFileSync(`${path}.lock`, '2147483646'); // no such process
  const unlock = await lockFolder(path, { waitMs: 1_000 });
  await expect(lockFolder(path, { waitMs: 100, pollMs: 10 })).rejects.toThrow(
    `locked by process ${process.pid}`,
  );
  await unlock();
});
