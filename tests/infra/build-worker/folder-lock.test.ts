import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { lockFolder } from '../../../infra/build-worker/folder-lock';
import { processesWorkingIn } from '../../../infra/build-worker/leftover-processes';
import { formatOwnerRecord, ownerRecordOf, parseOwnerRecord } from '../../../infra/os/owner-record';
import { findProcesses } from '../../../infra/os/proc-files';
import { readProcStat } from '../../../infra/os/proc-stat';

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

/** The lock file as the process `pid` would have written it. */
const lockedBy = (path: string, pid: number): void =>
  writeFileSync(`${path}.lock`, formatOwnerRecord(ownerRecordOf(pid)));

test('the lock names its holder; a lock left by a process that is gone is taken over; a live one times out', async () => {
  const path = join(dir, 'stale');
  lockedBy(path, deadPid());
  const unlock = await lockFolder(path, { waitMs: 1_000 });
  expect(parseOwnerRecord(readFileSync(`${path}.lock`, 'utf8'))).toEqual(ownerRecordOf(process.pid));
  await expect(lockFolder(path, { waitMs: 100, pollMs: 10 })).rejects.toThrow(
    `locked by process ${process.pid} (`,
  );
  await unlock();
});

test('a lock file that holds no owner record (torn, or the bare pid of older versions) is taken over', async () => {
  for (const content of ['', String(process.pid)]) {
    const path = join(dir, `unreadable-${content.length}`);
    writeFileSync(`${path}.lock`, content);
    const unlock = await lockFolder(path, { waitMs: 1_000 });
    await unlock();
  }
});

test('taking over from a dead owner first stops the build it left running in the folder, group and all', async () => {
  const path = join(dir, 'orphaned');
  mkdirSync(join(path, 'build'), { recursive: true });
  // An orphaned rpmbuild: its own process group, working in the folder, with a child of its own that has
  // moved elsewhere (still in the group). Beside it, an unrelated process outside the folder.
  const orphan = spawn('sh', ['-c', 'cd / && sleep 60 & exec sleep 60'], {
    cwd: join(path, 'build'),
    detached: true,
    stdio: 'ignore',
  });
  const bystander = spawn('sleep', ['60'], { cwd: dir, stdio: 'ignore' });
  const orphanExited = new Promise((resolve) => orphan.once('exit', resolve));
  try {
    await waitUntil(() => processesWorkingIn(path).length > 0 && groupMembers(orphan.pid!) === 2);
    lockedBy(path, deadPid());

    const unlock = await lockFolder(path, { waitMs: 1_000 });
    await orphanExited;
    await waitUntil(() => groupMembers(orphan.pid!) === 0);
    expect(processesWorkingIn(path)).toEqual([]);
    expect(bystander.exitCode).toBeNull();
    await unlock();
  } finally {
    for (const target of [-orphan.pid!, bystander.pid!]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

test('a live owner is waited for, and nothing working in its folder is touched', async () => {
  const path = join(dir, 'busy');
  mkdirSync(path, { recursive: true });
  const worker = spawn('sleep', ['60'], { cwd: path, detached: true, stdio: 'ignore' });
  try {
    await waitUntil(() => processesWorkingIn(path).length === 1);
    lockedBy(path, worker.pid!);
    await expect(lockFolder(path, { waitMs: 100, pollMs: 10 })).rejects.toThrow(
      `locked by process ${worker.pid}`,
    );
    expect(worker.exitCode).toBeNull();
  } finally {
    worker.kill('SIGKILL');
  }
});

/** A pid that was just used and is now free. */
function deadPid(): number {
  const done = spawnSync('sh', ['-c', 'echo $$']);
  return Number(done.stdout.toString().trim());
}

/** Live (non-zombie) members of a process group. */
function groupMembers(group: number): number {
  return findProcesses((pid) => {
    const stat = readProcStat(pid);
    return stat?.group === group && stat.state !== 'Z';
  }).length;
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
