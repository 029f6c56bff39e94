import { cpSync, mkdirSync, copyFileSync, utimesSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testing/pipeline/cli-process';
import { packagesById, readRepodata, repomdRecords } from '../../testing/rpm/repodata-xml';
import type { RepodataDocuments } from '../../testing/rpm/repodata-xml';
import { buildRpms, createrepo, SAMPLE_SPECS, signRpms } from '../../testing/rpm/rpm-tools';
import { useTempDir } from '../../testing/temp-dirs';
import { fixturePath } from '../../testing/fixtures/fixture-path';

const FIXTURE_PACKAGES = fixturePath('repodata-example', 'packages');
const MTIME = new Date('2024-01-05T00:00:00Z');

const work = useTempDir('repo-index-');
let built: string[];

beforeAll(() => {
  built = buildRpms(join(work, 'build'), SAMPLE_SPECS);
}, 120_000);

/** Two copies of the same RPM set with the same mtimes: one for createrepo_c, one for `repo index`. */
function twoCopies(name: string, place: (dir: string) => void): { ours: string; theirs: string } {
  const made = { ours: join(work, name, 'ours'), theirs: join(work, name, 'theirs') };
  for (const dir of Object.values(made)) {
    mkdirSync(dir, { recursive: true });
    place(dir);
  }
  return made;
}

async function indexBoth(dirs: {
  ours: string;
  theirs: string;
}): Promise<[RepodataDocuments, RepodataDocuments]> {
  createrepo(dirs.theirs);
  const run = runCli(['repo', 'index', dirs.ours, '--revision', '1704412800']);
  expect(await run.exited, run.output()).toBe(0);
  return [readRepodata(dirs.ours), readRepodata(dirs.theirs)];
}

/**
 * The documents are equal package by package (element names, attributes, text, child order), the package
 * order is the same, and so are `packages="N"` and the uncompressed bytes (open-checksum, open-size). The
 * compressed bytes differ (our gzip is segmented), so `checksum`, `size` and the hrefs are not compared.
 */
function expectSameRepodata(ours: RepodataDocuments, theirs: RepodataDocuments): void {
  for (const type of ['primary', 'filelists', 'other'] as const) {
    expect(ours[type].attributes, type).toEqual(theirs[type].attributes);
    const mine = packagesById(ours[type]);
    const reference = packagesById(theirs[type]);
    expect([...mine.keys()], `${type} package order`).toEqual([...reference.keys()]);
    for (const [id, pkg] of reference) expect(mine.get(id), `${type} ${id}`).toEqual(pkg);
  }
  const [mine, reference] = [repomdRecords(ours.repomd), repomdRecords(theirs.repomd)];
  for (const type of ['primary', 'filelists', 'other']) {
    expect(mine[type]?.['open-checksum'], type).toBe(reference[type]?.['open-checksum']);
    expect(mine[type]?.['open-size'], type).toBe(reference[type]?.['open-size']);
    expect(mine[type]?.timestamp, type).toBe(reference[type]?.timestamp);
  }
  expect(ours.repomd.children[0]).toEqual(theirs.repomd.children[0]); // <revision>
}

describe('repo index compared with createrepo_c --no-database', () => {
  it('the fixture RPMs', async () => {
    const dirs = twoCopies('fixture', (dir) => {
      cpSync(FIXTURE_PACKAGES, join(dir, 'packages'), { recursive: true });
      for (const name of [
        'ovl-hello-1.0-1.fx1.noarch.rpm',
        'ovl-lib-3.1.4-7.fx1.noarch.rpm',
        'ovl-tool-0.2-3.fx1.noarch.rpm',
      ])
        utimesSync(join(dir, 'packages', name), MTIME, MTIME);
    });
    const [ours, theirs] = await indexBoth(dirs);
    expectSameRepodata(ours, theirs);
    expect(packagesById(ours.primary).size).toBe(3);
  }, 60_000);

  it('rpmbuild packages: sub-packages, sources, file and versioned deps, weak deps, long changelogs, signed', async () => {
    const dirs = twoCopies('built', (dir) => {
      for (const file of built) {
        const sub = file.endsWith('.src.rpm') ? 'SRPMS' : 'Packages';
        mkdirSync(join(dir, sub), { recursive: true });
        copyFileSync(file, join(dir, sub, basename(file)));
        utimesSync(join(dir, sub, basename(file)), MTIME, MTIME);
      }
    });
    signRpms(join(work, 'keys'), [join(dirs.ours, 'Packages', 'beta-1.2-3.t1.noarch.rpm')]);
    copyFileSync(
      join(dirs.ours, 'Packages', 'beta-1.2-3.t1.noarch.rpm'),
      join(dirs.theirs, 'Packages', 'beta-1.2-3.t1.noarch.rpm'),
    );
    for (const dir of Object.values(dirs))
      utimesSync(join(dir, 'Packages', 'beta-1.2-3.t1.noarch.rpm'), MTIME, MTIME);
    const [ours, theirs] = await indexBoth(dirs);
    expectSameRepodata(ours, theirs);
    const alpha = [...packagesById(ours.other).values()].find(
      (p) => p.attributes.name === 'alpha' && p.attributes.arch === 'noarch',
    );
    expect(alpha?.children.filter((c) => c.name === 'changelog')).toHaveLength(10);
    expect([...packagesById(ours.primary).values()].map((p) => p.children[1]?.text)).toContain('src');
  }, 120_000);

  it('exits 1 with rpm.truncated naming the file for a cut RPM', async () => {
    const dir = join(work, 'broken');
    mkdirSync(dir, { recursive: true });
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'cut.rpm'), readFileSync(built[0] as string).subarray(0, 5000));
    const run = runCli(['repo', 'index', dir]);
    expect(await run.exited).toBe(1);
    const error = (
      JSON.parse(run.stdout().slice(0, run.stdout().lastIndexOf('}') + 1)) as {
        error: Record<string, unknown>;
      }
    ).error;
    expect(error.code).toBe('rpm.truncated');
    expect(error.file).toBe(join(dir, 'cut.rpm'));
  }, 60_000);
});
