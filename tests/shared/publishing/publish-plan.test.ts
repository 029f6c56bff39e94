import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { candidateOf, packageHref, planPublish } from '../../../shared/publishing';
import type { PublishedPackage } from '../../../shared/publishing';
import { createRepodataRecord } from '../../../shared/repodata';
import type { RepodataRecord } from '../../../shared/repodata';
import { readRpmPackage } from '../../../shared/rpm';
import { generateRpm } from '../../../testing/rpm/rpm-generator';

/** A build of alpha-1.0-1.x86_64; `files` tell two builds of the same NEVRA apart. */
function build(files: string[], version = '1.0'): { pkg: PublishedPackage; bytes: Buffer } {
  const bytes = Buffer.from(generateRpm({ name: 'alpha', version, release: '1', arch: 'x86_64', files }));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const fileName = `alpha-${version}-1.x86_64.rpm`;
  const pkg = { artifactBlob: `alpha/${sha256}/${fileName}`, fileName, sha256, size: bytes.length };
  return { pkg: { ...pkg, nevra: `alpha-${version}-1.x86_64` }, bytes };
}

/** What the repository holds for a build, at `href` (by default where the publisher puts it). */
function published({ pkg, bytes }: ReturnType<typeof build>, href?: string): RepodataRecord {
  const header = readRpmPackage(bytes);
  return createRepodataRecord(header, {
    pkgId: pkg.sha256,
    locationHref: href ?? packageHref(pkg.fileName, pkg.sha256),
    fileTime: header.buildTime,
    fileSize: pkg.size,
  });
}

describe('planPublish: one file per NEVRA', () => {
  const first = build(['/usr/bin/alpha']);
  const rebuilt = build(['/usr/bin/alpha', '/usr/lib/alpha/plugin.so']);

  test('the same NEVRA with the same checksum changes nothing, also under the name an older version gave it', () => {
    for (const href of [undefined, 'Packages/a/alpha-1.0-1.x86_64.rpm']) {
      const plan = planPublish([published(first, href)], [candidateOf('r1', first.pkg)], 1);
      expect(plan).toMatchObject({ changed: false, added: [], removed: [] });
    }
  });

  test('a rebuild of the same NEVRA with other contents replaces it under a name of its own', () => {
    const current = published(first);
    const plan = planPublish([current], [candidateOf('r2', rebuilt.pkg)], 1);
    expect(plan.changed).toBe(true);
    expect(plan.added.map((c) => c.href)).toEqual([packageHref(rebuilt.pkg.fileName, rebuilt.pkg.sha256)]);
    expect(plan.added[0]?.href).not.toBe(current.locationHref);
    expect(plan.removed).toEqual([current]);
    expect(plan.kept).toEqual([]);
  });

  test('of two candidates for one NEVRA the later one counts, even when it is what is already there', () => {
    const twice = planPublish([], [candidateOf('r1', first.pkg), candidateOf('r2', rebuilt.pkg)], 1);
    expect(twice.added.map((c) => c.requestKey)).toEqual(['r2']);
    const back = planPublish(
      [published(first)],
      [candidateOf('r2', rebuilt.pkg), candidateOf('r3', first.pkg)],
      1,
    );
    expect(back).toMatchObject({ changed: false, added: [], removed: [] });
  });

  test('retention still decides between versions', () => {
    const newer = build(['/usr/bin/alpha'], '1.1');
    const plan = planPublish([published(first)], [candidateOf('r2', newer.pkg)], 1);
    expect(plan.added.map((c) => c.pkg.nevra)).toEqual(['alpha-1.1-1.x86_64']);
    expect(plan.removed.map((r) => r.locationHref)).toEqual([published(first).locationHref]);
  });
});
