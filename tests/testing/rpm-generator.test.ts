import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRpm } from '../../testing/rpm/rpm-generator';
import { readRpmPackage } from '../../shared/rpm';
import { runCli } from '../../testing/pipeline/cli-process';
import { packagesById, readRepodata, repomdRecords } from '../../testing/rpm/repodata-xml';
import { createrepo, rpmQuery } from '../../testing/rpm/rpm-tools';
import { useTempDir } from '../../testing/temp-dirs';

const LARGE = {
  name: 'huge',
  version: '1.0',
  release: '1',
  epoch: 2,
  installedSize: 5 * 1024 ** 3,
  archiveSize: 6 * 1024 ** 3,
  requires: [{ name: 'glibc', flags: 12, version: '2.38' }],
  changelog: [{ time: 1_700_000_000, author: 'Bench <b@example.invalid> - 1.0-1', text: '- generated' }],
};

const dir = useTempDir('rpm-gen-');
describe('bench RPM generator', () => {
  it('writes files rpm -qp reads, with 64-bit LONGSIZE and LONGARCHIVESIZE, header digest OK', () => {
    const file = join(dir, 'huge.rpm');
    writeFileSync(file, generateRpm(LARGE));
    expect(rpmQuery(file, '%{NAME} %{EPOCH} %{LONGSIZE} %{LONGARCHIVESIZE} [%{FILENAMES}]')).toBe(
      'huge 2 5368709120 6442450944 /usr/bin/huge',
    );
    const pkg = readRpmPackage(generateRpm(LARGE));
    expect([pkg.installedSize, pkg.archiveSize]).toEqual([5 * 1024 ** 3, 6 * 1024 ** 3]);
  });

  it('repo index and createrepo_c agree on generated packages, the >4 GiB sizes included', async () => {
    const sides = [join(dir, 'ours'), join(dir, 'theirs')];
    for (const side of sides) {
      mkdirSync(side, { recursive: true });
      const packages = [
        LARGE,
        ...Array.from({ length: 20 }, (_, i) => ({ name: `gen${i}`, version: `${i}.0`, release: '1' })),
      ];
      for (const pkg of packages) {
        const file = join(side, `${pkg.name}.rpm`);
        writeFileSync(file, generateRpm(pkg));
        utimesSync(file, 1_704_412_800, 1_704_412_800);
      }
    }
    createrepo(sides[1] as string);
    const run = runCli(['repo', 'index', sides[0] as string, '--revision', '1704412800']);
    expect(await run.exited, run.output()).toBe(0);
    const [ours, theirs] = sides.map((side) => readRepodata(side));
    for (const type of ['primary', 'filelists', 'other'] as const) {
      expect([...packagesById(ours![type]).entries()]).toEqual([...packagesById(theirs![type]).entries()]);
      expect(repomdRecords(ours!.repomd)[type]?.['open-checksum']).toBe(
        repomdRecords(theirs!.repomd)[type]?.['open-checksum'],
      );
    }
    expect(ours!.raw.primary).toContain('installed="5368709120" archive="6442450944"');
  }, 60_000);
});
