import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { compileBicep } from '../../testing/arm/template';
import { RUN_TMPDIR } from '../../testing/temp-root-global-setup';

// compileBicep keeps a run's compiles by the hash of what they read: a changed input must compile again,
// an unchanged one must not (the real CLI, on a one-line file).
let runFolder: string;
let previous: string | undefined;

beforeEach(() => {
  previous = process.env[RUN_TMPDIR];
  runFolder = mkdtempSync(join(tmpdir(), 'azl-bicep-cache-'));
  process.env[RUN_TMPDIR] = runFolder;
});

afterEach(() => {
  if (previous === undefined) delete process.env[RUN_TMPDIR];
  else process.env[RUN_TMPDIR] = previous;
});

const kept = () => readdirSync(join(runFolder, 'bicep-compiles')).sort();

it('compiles a changed file again and reads an unchanged one from the run folder', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'azl-bicep-src-')), 'one.bicep');
  writeFileSync(file, "output greeting string = 'first'\n");
  expect(compileBicep(file).template.outputs?.['greeting']?.value).toBe('first');
  const afterFirst = kept();
  expect(afterFirst).toHaveLength(1);

  writeFileSync(file, "output greeting string = 'second'\n");
  expect(compileBicep(file).template.outputs?.['greeting']?.value).toBe('second');
  expect(kept()).toHaveLength(2);

  // Back to the first text: its kept compile is read, not made again (marked here to tell them apart).
  const firstKept = join(runFolder, 'bicep-compiles', afterFirst[0]!);
  writeFileSync(firstKept, readFileSync(firstKept, 'utf8').replace('"first"', '"first, kept"'));
  writeFileSync(file, "output greeting string = 'first'\n");
  expect(compileBicep(file).template.outputs?.['greeting']?.value).toBe('first, kept');
  expect(kept()).toHaveLength(2);
}, 60_000);
