import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import {
  commandLineOf,
  environmentOf,
  findProcesses,
  processIds,
  workingDirectoryOf,
} from '../../../infra/os/proc-files';
import { deadPid } from './process-tools';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'azl-proc-')));
const child = spawn('sleep', ['30'], {
  cwd: dir,
  env: { ...process.env, AZL_PROC_TEST: 'marked one' },
  stdio: 'ignore',
});
afterAll(() => {
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test("another process's command line, working directory and environment are read", () => {
  const pid = child.pid!;
  expect(commandLineOf(pid)).toEqual(['sleep', '30']);
  expect(workingDirectoryOf(pid)).toBe(dir);
  expect(environmentOf(pid)).toContain('AZL_PROC_TEST=marked one');
});

test('processes are found by what /proc tells about them', () => {
  expect(processIds()).toContain(process.pid);
  expect(findProcesses((pid) => workingDirectoryOf(pid) === dir)).toEqual([child.pid]);
  expect(findProcesses((pid) => environmentOf(pid)?.includes('AZL_PROC_TEST=marked one') === true)).toEqual([
    child.pid,
  ]);
  // A question that fails for a process (it is gone, or not ours) does not stop the search.
  expect(
    findProcesses((pid) => {
      if (pid !== child.pid) throw new Error('gone meanwhile');
      return true;
    }),
  ).toEqual([child.pid]);
});

test('a process that is gone has nothing to read', () => {
  const gone = deadPid();
  expect(commandLineOf(gone)).toBeUndefined();
  expect(workingDirectoryOf(gone)).toBeUndefined();
  expect(environmentOf(gone)).toBeUndefined();
});
