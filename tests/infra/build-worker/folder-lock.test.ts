import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { lockFolder } from '../../../infra/build-worker/folder-lock';
import { processesWorkingIn } from '../../../infra/build-worker/leftover-processes';

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
    writeFileSync(`${path}.lock`, String(deadPid()));

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
    writeFileSync(`${path}.lock`, String(worker.pid));
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

/** Live (non-zombie) members of a process group, from /proc. */
function groupMembers(group: number): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === group && fields[0] !== 'Z') count += 1;
    } catch {
      // gone
    }
  }
  return count;
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
