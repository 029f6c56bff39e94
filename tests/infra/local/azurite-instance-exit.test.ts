import { spawn } from 'node:child_process';
import { expect, test } from 'vitest';
import { exitOfInstance } from '../../../infra/local/azurite-instance';

/** An adopted Azurite is not our child: its exit is seen by polling, so the supervisor can restart it. */
test('exitOfInstance resolves once a process that is not watched by exit events has gone', async () => {
  const other = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  const pid = other.pid!;
  let gone = false;
  const watching = exitOfInstance(pid, new AbortController().signal, 20).then(() => (gone = true));
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(gone).toBe(false);
  process.kill(pid, 'SIGKILL');
  await watching;
  expect(gone).toBe(true);
});

test('exitOfInstance resolves when the watch is stopped, while the process still runs', async () => {
  const other = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  const stopped = new AbortController();
  const watching = exitOfInstance(other.pid!, stopped.signal, 20);
  stopped.abort();
  await watching;
  expect(other.exitCode).toBeNull();
  other.kill('SIGKILL');
});
