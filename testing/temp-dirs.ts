import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * Temporary folders that go away by themselves: one for a block of tests (`useTempDir`, at the top of a file
 * or a describe), or one for the running test (`tempDirForTest`, `tempCopyOf`, called inside it).
 */

/** A new folder under the system's temp dir, made now and removed after the block's tests. */
export function useTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A new folder for the running test, removed when it finishes. */
export function tempDirForTest(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of `source` (a fixture folder, see fixturePath) that the running test may change; removed after it. */
export function tempCopyOf(source: string, prefix = 'azl-copy-'): string {
  const dir = tempDirForTest(prefix);
  cpSync(source, dir, { recursive: true });
  return dir;
}
