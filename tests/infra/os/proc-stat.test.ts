import { expect, test } from 'vitest';
import { splitNulList } from '../../../infra/os/proc-files';
import { parseProcStat, readProcStat } from '../../../infra/os/proc-stat';

/** A stat line as the kernel writes it: pid (comm) state ppid pgrp session tty tpgid ... starttime ... */
const statLine = (command: string, state = 'S'): string =>
  `4242 (${command}) ${state} 17 4240 4200 0 -1 4194560 120 0 0 0 1 2 0 0 20 0 1 0 987654 8192 300 ` +
  '18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n';

test('a stat line is read by field number: state, parent, group, session and start time', () => {
  expect(parseProcStat(statLine('sleep'))).toEqual({
    pid: 4242,
    command: 'sleep',
    state: 'S',
    parent: 17,
    group: 4240,
    session: 4200,
    startTime: 987654,
  });
});

test('a command with spaces and parentheses in it does not shift the fields', () => {
  for (const command of ['a b', 'x) S 1 2 (y', '(sd-pam)', ') )', '']) {
    const stat = parseProcStat(statLine(command, 'Z'));
    expect(stat?.command).toBe(command);
    expect([stat?.state, stat?.group, stat?.startTime]).toEqual(['Z', 4240, 987654]);
  }
});

test('what is not a stat line is undefined', () => {
  for (const text of [
    '',
    '4242',
    '4242 (sleep)',
    '4242 (sleep) S 17',
    'x (sleep) S 1 2 3',
    '1 (a) ? 1 2 3',
  ]) {
    expect(parseProcStat(text)).toBeUndefined();
  }
});

test("this process's own stat is read: its pid, its parent and a start time", () => {
  const stat = readProcStat(process.pid);
  expect(stat?.pid).toBe(process.pid);
  expect(stat?.parent).toBe(process.ppid);
  expect(stat?.state).toMatch(/^[RS]$/);
  expect(stat?.startTime).toBeGreaterThan(0);
  expect(readProcStat(2147483646)).toBeUndefined();
});

test('a NUL-separated list keeps empty entries but the one after the final NUL', () => {
  expect(splitNulList('sleep\x0060\x00')).toEqual(['sleep', '60']);
  expect(splitNulList('a\x00\x00b')).toEqual(['a', '', 'b']);
  expect(splitNulList('')).toEqual([]);
});
