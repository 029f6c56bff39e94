import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { DistroTreeCache, sharedDistroTree } from '../../../infra/distro/distro-tree-cache';
import { FsModelSource } from '../../../infra/planning-pass';
import { DISTROS, writeTree } from '../../../testing/fixtures/distro-tree';

/** `FsDistroFiles` counting the files read: what a load costs, seen at the port. */
class CountingFiles extends FsDistroFiles {
  reads = 0;
  override read(path: string): string {
    this.reads++;
    return super.read(path);
  }
}

const components = (...names: string[]) => names.map((name) => `[components.${name}]\n`).join('');
const dirs: string[] = [];
const tree = (files: Record<string, string>) => {
  const dir = writeTree(files);
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('DistroTreeCache', () => {
  it('loads the tree once for any number of readers while the folder is unchanged', () => {
    const files = new CountingFiles();
    const cache = new DistroTreeCache(tree({ 'azldev.toml': DISTROS + components('zlib', 'curl') }), files);

    const first = cache.current();
    const readsOfOneLoad = files.reads;
    for (let i = 0; i < 50; i++) expect(cache.current()).toBe(first);

    expect(files.reads).toBe(readsOfOneLoad);
    expect(cache.loadCount).toBe(1);
    expect([...first.tree.components.keys()].sort()).toEqual(['curl', 'zlib']);
  });

  it('reloads when a file of the folder changes, and keeps the new tree', () => {
    const dir = tree({
      'azldev.toml': `includes = ["more.toml"]\n${DISTROS}`,
      'more.toml': components('zlib'),
    });
    const cache = new DistroTreeCache(dir, undefined, 0);
    const before = cache.current();

    writeFileSync(join(dir, 'more.toml'), components('zlib', 'openssl'));
    const after = cache.current();

    expect(after.version).not.toBe(before.version);
    expect([...after.tree.components.keys()].sort()).toEqual(['openssl', 'zlib']);
    expect(cache.current()).toBe(after);
    expect(cache.loadCount).toBe(2);
  });

  it('remembers a tree that does not load until the folder changes', () => {
    const dir = tree({ 'azldev.toml': 'this = = is not toml\n' });
    const files = new CountingFiles();
    const cache = new DistroTreeCache(dir, files, 0);

    const error = (() => {
      try {
        cache.current();
      } catch (caught) {
        return caught;
      }
    })();
    const reads = files.reads;
    expect(() => cache.current()).toThrow(error as Error);
    expect(files.reads).toBe(reads);

    writeFileSync(join(dir, 'azldev.toml'), DISTROS + components('zlib'));
    expect([...cache.current().tree.components.keys()]).toEqual(['zlib']);
  });

  it('makes what is derived once per version', () => {
    const dir = tree({ 'azldev.toml': DISTROS + components('zlib') });
    const cache = new DistroTreeCache(dir, undefined, 0);
    let made = 0;
    const count = () => ++made;
    const first = cache.derive('count', count);
    expect(cache.derive('count', count)).toEqual(first);
    writeFileSync(join(dir, 'azldev.toml'), DISTROS + components('zlib', 'curl'));
    const second = cache.derive('count', count);
    expect(second.value).toBe(2);
    expect(second.version).not.toBe(first.version);
  });

  it('looks at the folder again only once the recheck interval has passed', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-06T12:00:00Z') });
    try {
      const dir = tree({ 'azldev.toml': DISTROS + components('zlib') });
      const cache = new DistroTreeCache(dir, undefined, 1_000);
      const before = cache.current();

      writeFileSync(join(dir, 'azldev.toml'), DISTROS + components('zlib', 'curl'));
      vi.advanceTimersByTime(999);
      expect(cache.current()).toBe(before);
      expect(cache.loadCount).toBe(1);

      vi.advanceTimersByTime(1);
      expect([...cache.current().tree.components.keys()].sort()).toEqual(['curl', 'zlib']);
      expect(cache.loadCount).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is one per folder in a process: the planner and the status API share its load', async () => {
    const dir = tree({ 'azldev.toml': DISTROS + components('zlib') });
    const cache = sharedDistroTree(dir);
    expect(sharedDistroTree(`${dir}/.`)).toBe(cache);

    const source = new FsModelSource(dir);
    const { model, version } = await source.current();
    expect([...model.components.keys()]).toEqual(['zlib']);
    expect(version).toBe(cache.current().version);
    expect((await source.current()).model).toBe(model);
    expect(cache.loadCount).toBe(1);
  });
});
