import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest globalSetup: one temporary folder for the whole run, made the test processes' `TMPDIR` (they are
 * forked after this runs, with this environment), and removed at the end. Every `mkdtemp` of a test, of the
 * code it runs and of the processes it starts lands under it, so a run leaves nothing in the system's temp
 * folder, even where a test cannot clean up after itself (a killed pipeline, a worker process ended by the
 * pool): a suite run used to leave about 60 folders there.
 */
export default function setup(): () => void {
  // Each project of the run calls this; the first one makes the folder, the others use it.
  if (process.env[RUN_TMPDIR]) return () => undefined;
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'azl-test-run-'));
  process.env.TMPDIR = root;
  process.env[RUN_TMPDIR] = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env[RUN_TMPDIR];
    rmSync(root, { recursive: true, force: true });
  };
}

/** Set while a run's folder exists, to its path. */
export const RUN_TMPDIR = 'AZL_TEST_RUN_TMPDIR';
