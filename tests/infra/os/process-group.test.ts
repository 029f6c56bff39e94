import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, expect, test } from 'vitest';
import { spawnGroupLeader } from '../../../infra/os/group-leader';
import type { GroupLeader } from '../../../infra/os/group-leader';
import { groupRunning, processExists, processRunning } from '../../../infra/os/process-alive';
import { signalGroup, signalProcess } from '../../../infra/os/signals';
import { stopGroup } from '../../../infra/os/stop-group';
import { groupMembers, until, zombie } from './process-tools';

const started: (ChildProcess | GroupLeader)[] = [];
afterAll(() => {
  for (const one of started) {
    const pid = one.pid ?? 0;
    signalGroup(pid, 'SIGKILL');
    signalProcess(pid, 'SIGKILL');
  }
});

/** A leader with two children of its own in its group; `trap` makes all three ignore SIGTERM. */
function family(options: { ignoreTerm: boolean }): GroupLeader {
  const script = `${options.ignoreTerm ? "trap '' TERM; " : ''}sleep 60 & sleep 60 & wait`;
  const leader = spawnGroupLeader('sh', ['-c', script], { stdio: 'ignore' });
  started.push(leader);
  return leader;
}

test('a group leader leads a group of its own, with what it starts in it', async () => {
  const leader = family({ ignoreTerm: false });
  await until(() => groupMembers(leader.pid!).length === 3);
  expect(groupMembers(process.pid)).not.toContain(leader.pid);
  expect(leader.running()).toBe(true);
  expect(groupRunning(leader.pid!)).toBe(true);
  await leader.terminate(5_000);
});

test('terminating a group that obeys SIGTERM ends it with SIGTERM and leaves no member behind', async () => {
  const leader = family({ ignoreTerm: false });
  await until(() => groupMembers(leader.pid!).length === 3);
  await leader.terminate(5_000);
  expect(await leader.ended).toEqual({ kind: 'exited', code: null, signal: 'SIGTERM' });
  expect(leader.running()).toBe(false);
  expect(groupMembers(leader.pid!)).toEqual([]);
  expect(groupRunning(leader.pid!)).toBe(false);
});

test('a group that ignores SIGTERM gets SIGKILL after the grace period, members and all', async () => {
  const leader = family({ ignoreTerm: true });
  await until(() => groupMembers(leader.pid!).length === 3);
  await leader.terminate(200);
  expect(await leader.ended).toEqual({ kind: 'exited', code: null, signal: 'SIGKILL' });
  expect(groupMembers(leader.pid!)).toEqual([]);
});

test('a grace period of 0 kills at once', async () => {
  const leader = family({ ignoreTerm: false });
  await until(() => groupMembers(leader.pid!).length === 3);
  await leader.terminate(0);
  expect(await leader.ended).toMatchObject({ signal: 'SIGKILL' });
  expect(groupMembers(leader.pid!)).toEqual([]);
});

test('stopping a group whose leader has exited stops what the leader left in it', async () => {
  // Not our child: the leader exits at once, its background sleep is orphaned, still in the group.
  const orphaning = spawn('sh', ['-c', 'sleep 60 & echo started'], { detached: true, stdio: 'ignore' });
  started.push(orphaning);
  const group = orphaning.pid!;
  await new Promise((resolve) => orphaning.once('exit', resolve));
  await until(() => groupMembers(group).length === 1);
  expect(groupRunning(group)).toBe(true);
  await stopGroup(group, 2_000);
  expect(groupMembers(group)).toEqual([]);
  expect(groupRunning(group)).toBe(false);
});

test('a command that cannot be started ends as not started, and terminating it does nothing', async () => {
  const leader = spawnGroupLeader('/nonexistent/command', [], { stdio: 'ignore' });
  const end = await leader.ended;
  expect(end.kind).toBe('not-started');
  expect(end.kind === 'not-started' && end.error.message).toMatch(/ENOENT/);
  expect(leader.running()).toBe(false);
  await leader.terminate(1_000);
});

test('a zombie exists but does not run, nor does a group whose only member is a zombie', async () => {
  const { pid, parent } = await zombie({ ownGroup: true });
  started.push(parent);
  expect(processExists(pid)).toBe(true);
  expect(processRunning(pid)).toBe(false);
  expect(processRunning(parent.pid!)).toBe(true);
  expect(processRunning(2147483646)).toBe(false);
  expect(groupMembers(pid, { zombies: true })).toEqual([pid]);
  expect(signalGroup(pid, 0)).toBe(true);
  expect(groupRunning(pid)).toBe(false);
  await stopGroup(pid, 1_000); // returns at once: there is nothing to stop
  expect(processExists(pid)).toBe(true);
});

test('signals to pids and groups below 2 are refused instead of reaching every process', () => {
  // Signal 0 delivers nothing: were these not refused, the kernel would answer true for -1 and 0.
  expect(signalGroup(1, 0)).toBe(false);
  expect(signalGroup(0, 0)).toBe(false);
  expect(signalProcess(0, 0)).toBe(false);
  expect(signalProcess(-1, 0)).toBe(false);
  expect(signalProcess(process.pid, 0)).toBe(true);
  expect(signalProcess(2147483646, 0)).toBe(false);
});
