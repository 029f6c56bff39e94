import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRpm } from '../../../testing/rpm/rpm-generator';
import { findRpmFiles, indexDirectory } from '../../../infra/rpm/index-directory';
import { readRpmFile } from '../../../infra/rpm/read-rpm-file';
import { useTempDir } from '../../../testing/temp-dirs';
import { RecordingProgress } from '../../../testing/fakes/recording-progress';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const dir = useTempDir('rpm-chunks-');
/** Files beyond one 1 MiB read: the header is kept, every byte is hashed, in whichever chunk it falls. */
describe('readRpmFile on files larger than one read', () => {
  it('hashes the bytes after the header (2.5 MiB of payload) and still reads the header', () => {
    const file = join(dir, 'big-payload.rpm');
    const head = generateRpm({ name: 'bulky', version: '1.0', release: '1' });
    writeFileSync(file, Buffer.concat([head, randomBytes(2.5 * 1024 * 1024)]));
    const facts = readRpmFile(file);
    expect(facts.sha256).toBe(sha256(readFileSync(file)));
    expect(facts.size).toBe(head.length + 2.5 * 1024 * 1024);
    expect(facts.pkg.name).toBe('bulky');
  });

  it('keeps reading until the end of a main header larger than 1 MiB', () => {
    const file = join(dir, 'big-header.rpm');
    const files = Array.from({ length: 20_000 }, (_, i) => `/usr/share/many/${'x'.repeat(60)}-${i}`);
    const bytes = generateRpm({ name: 'many', version: '1.0', release: '1', files });
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    writeFileSync(file, bytes);
    const facts = readRpmFile(file);
    expect(facts.pkg.files.map((f) => f.path)).toEqual(files);
    expect(facts.sha256).toBe(sha256(bytes));
  });
});

describe('indexDirectory hrefs', () => {
  it('are relative and /-separated; only the top-level repodata/ and hidden folders are skipped', () => {
    const root = join(dir, 'tree');
    const place = (relative: string, name: string) => {
      mkdirSync(join(root, relative), { recursive: true });
      writeFileSync(
        join(root, relative, `${name}-1.0-1.x86_64.rpm`),
        generateRpm({ name, version: '1.0', release: '1' }),
      );
    };
    place('Packages/a', 'alpha');
    place('', 'top');
    place('repodata', 'skipped');
    place('.hidden', 'hidden');
    place('nested/repodata', 'kept');
    expect(
      findRpmFiles(root)
        .map((f) => f.href)
        .sort(),
    ).toEqual([
      'Packages/a/alpha-1.0-1.x86_64.rpm',
      'nested/repodata/kept-1.0-1.x86_64.rpm',
      'top-1.0-1.x86_64.rpm',
    ]);
    const records = indexDirectory(root);
    expect(records.map((r) => [r.name, r.locationHref]).sort()).toEqual([
      ['alpha', 'Packages/a/alpha-1.0-1.x86_64.rpm'],
      ['kept', 'nested/repodata/kept-1.0-1.x86_64.rpm'],
      ['top', 'top-1.0-1.x86_64.rpm'],
    ]);
  });
});

describe('indexDirectory progress', () => {
  it('counts every RPM read, out of all found, and finishes', () => {
    const root = join(dir, 'counted');
    mkdirSync(join(root, 'sub'), { recursive: true });
    for (const name of ['one', 'two', 'sub/three'])
      writeFileSync(
        join(root, `${name}.rpm`),
        generateRpm({ name: name.replace('sub/', ''), version: '1', release: '1' }),
      );
    const progress = new RecordingProgress();
    expect(indexDirectory(root, {}, progress)).toHaveLength(3);
    expect(progress.tasks).toEqual([{ total: 3, unit: 'RPMs read', advances: [1, 1, 1], finished: true }]);
  });

  it('finishes at the count it reached when an RPM cannot be read', () => {
    const root = join(dir, 'broken');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'a-good.rpm'), generateRpm({ name: 'good', version: '1', release: '1' }));
    writeFileSync(join(root, 'b-broken.rpm'), 'not an rpm');
    const progress = new RecordingProgress();
    expect(() => indexDirectory(root, {}, progress)).toThrow();
    expect(progress.tasks[0]).toMatchObject({ total: 2, finished: true });
    expect(progress.done()).toBeLessThan(2);
  });
});
