import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../infra/os/project-paths';

/**
 * A folder for what a test leaves for people to look at (screenshots): `.data/test-output/<name>/` in the
 * repository (git-ignored), kept after the run; CI can upload it.
 */
export function testOutputDir(name: string): string {
  const dir = join(projectRoot(), '.data', 'test-output', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
