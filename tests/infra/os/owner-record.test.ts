import { afterAll, expect, test } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import type { OwnerRecord } from '../../../infra/os/owner-record';
import {
  describeOwner,
  formatOwnerRecord,
  ownerRecordOf,
  ownerState,
  parseOwnerRecord,
} from '../../../infra/os/owner-record';
import { isProcessGone, processIdentity } from '../../../infra/os/process-identity';
import { deadPid, zombie } from './process-tools';

const children: ChildProcess[] = [];
afterAll(() => children.forEach((child) => child.kill('SIGKILL')));

const record: OwnerRecord = {
  pid: 4242,
  startTime: 987654,
  boot: '0d4b6c2e-56a5-4b5e-a0b9-0a1c2d3e4f50',
  pidNamespace: 'pid:[4026531836]',
  host: 'build-7',
  command: 'node bin/azl start',
};

test('a record is one line of JSON that reads back as it was written', () => {
  const text = formatOwnerRecord(record);
  expect(text).not.toContain('\n');
  expect(parseOwnerRecord(text)).toEqual(record);
});

test('older formats and torn or foreign text are no record', () => {
  const older = [
    '4242', // the folder lock's bare pid
    '{"pid":4242,"blob":10000,"queue":10001,"table":10002}', // the Azurite instance record
    '0d4b6c2e-56a5-4b5e-a0b9-0a1c2d3e4f50/pid:[4026531836]/4242', // the lease's process identity
  ];
  for (const text of [...older, '', '{"pid":42', 'null', '{"pid":-1,"host":"h","command":""}']) {
    expect(parseOwnerRecord(text)).toBeUndefined();
  }
});

test("this process's record names it, with its start time, pid space, host and command", () => {
  const own = ownerRecordOf();
  expect(own).toMatchObject({ pid: process.pid, host: hostname() });
  expect(own.startTime).toBeGreaterThan(0);
  expect(own.boot).toMatch(/^[0-9a-f-]{36}$/);
  expect(own.pidNamespace).toMatch(/^pid:\[\d+\]$/);
  expect(own.command).toMatch(/node/);
  expect(ownerState(own)).toBe('running');
});

test('a running child is running; once it has exited and been reaped it is gone', async () => {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  const owner = ownerRecordOf(child.pid!);
  expect(owner.command).toBe('sleep 30');
  expect(ownerState(owner)).toBe('running');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  expect(ownerState(owner)).toBe('gone');
  expect(ownerState(ownerRecordOf(deadPid()))).toBe('gone');
});

test('a zombie (dead, not reaped) is gone', async () => {
  const { pid, parent } = await zombie();
  children.push(parent);
  expect(ownerState(ownerRecordOf(pid))).toBe('gone');
});

test('a reused pid is gone: the process under it started at another time', () => {
  const own = ownerRecordOf();
  expect(ownerState({ ...own, startTime: own.startTime! - 1 })).toBe('gone');
});

test('a record of another boot or pid namespace is not judged, even when its pid is free here', () => {
  const dead = ownerRecordOf(deadPid());
  expect(ownerState({ ...dead, boot: record.boot })).toBe('elsewhere');
  expect(ownerState({ ...dead, pidNamespace: 'pid:[1]' })).toBe('elsewhere');
  const { boot: _boot, pidNamespace: _namespace, ...withoutSpace } = dead;
  expect(ownerState(withoutSpace)).toBe('elsewhere');
});

test('a record describes its process for people', () => {
  expect(describeOwner(record)).toBe('process 4242 (node bin/azl start) on build-7');
  expect(describeOwner({ ...record, command: '' })).toBe('process 4242 on build-7');
});

test("the lease's process identity is the record as text; only a gone holder here is gone", () => {
  const dead = deadPid();
  expect(parseOwnerRecord(processIdentity()!)).toMatchObject({ pid: process.pid });
  expect(isProcessGone(processIdentity()!)).toBe(false);
  expect(isProcessGone(processIdentity(dead)!)).toBe(true);
  expect(isProcessGone(formatOwnerRecord({ ...ownerRecordOf(dead), boot: record.boot }))).toBe(false);
  expect(isProcessGone(`${record.boot}/${record.pidNamespace}/${dead}`)).toBe(false);
});
