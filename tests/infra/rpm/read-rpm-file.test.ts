import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRpmFile } from '../../../infra/rpm/read-rpm-file';
import { SigTag } from '../../../shared/rpm';
import type { DependencyKind, RpmPackage } from '../../../shared/rpm';
import { buildRpms, rpmQuery, SAMPLE_SPECS, signRpms } from '../../../testing/rpm/rpm-tools';
import { useTempDir } from '../../../testing/temp-dirs';

const SEP = '<<F>>';
const REC = '<<R>>';
const SCALARS = [
  'NAME',
  'EPOCH',
  'VERSION',
  'RELEASE',
  'ARCH',
  'SUMMARY',
  'DESCRIPTION',
  'BUILDTIME',
  'BUILDHOST',
  'LONGSIZE',
  'LONGARCHIVESIZE',
  'LICENSE',
  'VENDOR',
  'PACKAGER',
  'GROUP',
  'URL',
  'SOURCERPM',
  'SOURCEPACKAGE',
];
const KINDS: Record<DependencyKind, string> = {
  provides: 'PROVIDE',
  requires: 'REQUIRE',
  conflicts: 'CONFLICT',
  obsoletes: 'OBSOLETE',
  recommends: 'RECOMMEND',
  suggests: 'SUGGEST',
  supplements: 'SUPPLEMENT',
  enhances: 'ENHANCE',
};

/** What `rpm -qp` says, in the reader's shape; `(none)` becomes null. */
function queried(file: string) {
  const none = (v: string) => (v === '(none)' ? null : v);
  const scalars = rpmQuery(file, SCALARS.map((t) => `%{${t}}`).join(SEP)).split(SEP);
  const field = (tag: string) => none(scalars[SCALARS.indexOf(tag)] ?? '');
  const rows = (format: string) =>
    rpmQuery(file, `[${format}${REC}]`)
      .split(REC)
      .slice(0, -1)
      .map((row) => row.split(SEP));
  const deps = Object.fromEntries(
    Object.entries(KINDS).map(([kind, t]) => [
      kind,
      rows(`%{${t}NAME}${SEP}%{${t}FLAGS}${SEP}%{${t}VERSION}`)
        .filter(([name]) => name !== '(none)')
        .map(([name, flags, version]) => ({ name, flags: Number(flags), version })),
    ]),
  );
  return {
    nevra: [
      field('NAME'),
      field('EPOCH') === null ? null : Number(field('EPOCH')),
      field('VERSION'),
      field('RELEASE'),
    ],
    arch: field('SOURCEPACKAGE') === '1' ? 'src' : field('ARCH'),
    text: [
      field('SUMMARY'),
      field('DESCRIPTION'),
      field('LICENSE'),
      field('VENDOR'),
      field('PACKAGER'),
      field('GROUP'),
      field('URL'),
      field('BUILDHOST'),
      field('SOURCERPM'),
    ],
    numbers: [Number(field('BUILDTIME')), Number(field('LONGSIZE')), Number(field('LONGARCHIVESIZE'))],
    deps,
    files: rows(`%{FILENAMES}${SEP}%{FILEMODES}${SEP}%{FILEFLAGS}`)
      .filter(([path]) => path !== '(none)')
      .map(([path, mode, flags]) => ({ path, mode: Number(mode), flags: Number(flags) })),
    changelog: rows(`%{CHANGELOGTIME}${SEP}%{CHANGELOGNAME}${SEP}%{CHANGELOGTEXT}`)
      .filter(([time]) => time !== '(none)')
      .map(([time, author, text]) => ({ time: Number(time), author, text })),
  };
}

function read(pkg: RpmPackage) {
  return {
    nevra: [pkg.name, pkg.epoch, pkg.version, pkg.release],
    arch: pkg.arch,
    text: [
      pkg.summary,
      pkg.description,
      pkg.license,
      pkg.vendor,
      pkg.packager,
      pkg.group,
      pkg.url,
      pkg.buildHost,
      pkg.sourceRpm,
    ],
    numbers: [pkg.buildTime, pkg.installedSize, pkg.archiveSize],
    deps: Object.fromEntries(
      Object.keys(KINDS).map((kind) => [
        kind,
        pkg.dependencies[kind as DependencyKind].map(({ name, flags, version }) => ({
          name,
          flags,
          version,
        })),
      ]),
    ),
    files: pkg.files.map(({ path, mode, flags }) => ({ path, mode, flags })),
    changelog: pkg.changelog,
  };
}

const dir = useTempDir('rpm-reader-');
let built: string[];

beforeAll(() => {
  built = buildRpms(dir, SAMPLE_SPECS);
}, 120_000);

describe('readRpmFile matches rpm -qp --queryformat on packages built with rpmbuild', () => {
  it('built the binary, sub- and source packages', () => {
    expect(built.map((f) => basename(f))).toEqual([
      'alpha-2.5-4.t1.noarch.rpm',
      'alpha-devel-2.5-4.t1.noarch.rpm',
      'alpha-libs-2.5-4.t1.noarch.rpm',
      'beta-1.2-3.t1.noarch.rpm',
      'beta-data-1.2-3.t1.noarch.rpm',
      'alpha-2.5-4.t1.src.rpm',
      'beta-1.2-3.t1.src.rpm',
    ]);
  });

  it('agrees on every field, dependency, file and changelog entry', () => {
    for (const file of built) expect(read(readRpmFile(file).pkg), basename(file)).toEqual(queried(file));
  });

  it('reads epoch, ghost, directory and 12 changelog entries from alpha', () => {
    const alpha = readRpmFile(built[0] as string).pkg;
    expect(alpha.epoch).toBe(3);
    expect(alpha.files.find((f) => f.path === '/var/log/alpha/alpha.log')).toMatchObject({
      ghost: true,
      dir: false,
    });
    expect(alpha.files.find((f) => f.path === '/etc/alpha/conf.d')).toMatchObject({
      dir: true,
      ghost: false,
    });
    expect(alpha.changelog).toHaveLength(12);
    expect(alpha.dependencies.supplements[0]?.name).toBe('(beta and alpha-libs)');
  });

  it('reads a signed package: the signature grows, the reader still finds the header', () => {
    const signed = join(dir, 'signed.rpm');
    copyFileSync(built[3] as string, signed);
    const before = readRpmFile(signed).pkg;
    signRpms(dir, [signed]);
    const after = readRpmFile(signed).pkg;
    expect(after.signatureHeader.has(SigTag.RSA)).toBe(true);
    expect(before.signatureHeader.has(SigTag.RSA)).toBe(false);
    expect(read(after)).toEqual(queried(signed));
    expect(after.layout.header.end - after.layout.header.start).toBe(
      before.layout.header.end - before.layout.header.start,
    );
    const rsa = after.signatureHeader.value(SigTag.RSA);
    expect(rsa?.type).toBe('bin');
    expect(rpmQuery(signed, '%{RSAHEADER:pgpsig}')).toMatch(/^RSA\/SHA(256|512), .*Key ID /);
  }, 60_000);
});
