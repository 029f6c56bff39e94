import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import type { Overlay } from '../../../shared/overlays';
import type { ArchiveEntry } from '../../../shared/overlays/archive-entry';
import { compareEntryPaths, entryPath, reproducibleEntries } from '../../../shared/overlays/archive-entry';
import { archiveGroups, editArchiveEntries } from '../../../shared/overlays/archive-edit';
import { thrown } from '../../../testing/failures';

const ARCHIVE = 'pkg-1.0.tar.gz';
const utf8 = new TextEncoder();
const text = (entry: ArchiveEntry | undefined): string => new TextDecoder().decode(entry?.body);

const file = (name: string, content = `${name}\n`, extra: Partial<ArchiveEntry> = {}): ArchiveEntry => ({
  name,
  type: 'file',
  mode: 0o644,
  uid: 1000,
  gid: 1000,
  uname: 'dev',
  gname: 'dev',
  mtime: 1_700_000_000,
  body: utf8.encode(content),
  ...extra,
});
const dir = (name: string): ArchiveEntry => ({
  ...file(name),
  type: 'directory',
  mode: 0o755,
  body: new Uint8Array(),
});

/** A source tarball's usual shape: one top-level directory. */
const TARBALL: ArchiveEntry[] = [
  dir('pkg-1.0/'),
  file('pkg-1.0/README', 'Fedora readme\n'),
  file('pkg-1.0/configure', '#!/bin/sh\necho fedora\n', { mode: 0o755 }),
  dir('pkg-1.0/src/'),
  file('pkg-1.0/src/a.c', 'int fedora;\n'),
  dir('pkg-1.0/src/sub/'),
  file('pkg-1.0/src/sub/b.c', 'int fedora_b;\n'),
  file('pkg-1.0/src/sub/b.h', 'int fedora_h;\n'),
  file('pkg-1.0/pkg.spec', 'Name: pkg\n'),
  { ...file('pkg-1.0/link'), type: 'symlink', linkname: 'README', body: new Uint8Array() },
  file('pkg-1.0/data.bin', '\0\x01fedora'),
];

function edit(overlays: Overlay[], entries: readonly ArchiveEntry[] = TARBALL): ArchiveEntry[] {
  const [group] = archiveGroups('pkg', overlays);
  if (group === undefined) throw new Error('no archive overlay');
  return editArchiveEntries('pkg', group, entries);
}
const names = (entries: readonly ArchiveEntry[]): string[] => entries.map((e) => e.name);
const removing = (pattern: string, extra: Partial<Overlay> = {}): Overlay =>
  ({ type: 'file-remove', file: pattern, archive: ARCHIVE, ...extra }) as Overlay;
const replacing = (pattern: string, regex: string, replacement: string, extra = {}): Overlay =>
  ({ type: 'file-search-replace', file: pattern, regex, replacement, archive: ARCHIVE, ...extra }) as Overlay;

function failureOf(fn: () => unknown): PipelineError {
  const error = thrown(fn);
  if (!(error instanceof PipelineError)) throw error;
  return error;
}

describe('archive overlays over an entry list (azldev semantics)', () => {
  it('matches patterns below the single top-level directory; `*` stops at `/`', () => {
    const out = edit([removing('src/*.c')]);
    expect(names(out)).not.toContain('pkg-1.0/src/a.c');
    expect(names(out)).toContain('pkg-1.0/src/sub/b.c');
    expect(out).toHaveLength(TARBALL.length - 1);
  });

  it('lets `**` cross directories, and never matches a .spec inside the archive', () => {
    const out = edit([removing('**/*.c'), removing('**/*')]);
    // `**/*` removes every regular file but the spec (globs never match *.spec); directories and the symlink stay.
    expect(names(out).sort()).toEqual(
      ['pkg-1.0/', 'pkg-1.0/src/', 'pkg-1.0/src/sub/', 'pkg-1.0/pkg.spec', 'pkg-1.0/link'].sort(),
    );
  });

  it('search-replaces whole text files, keeps each entry header, and skips binary matches', () => {
    const out = edit([replacing('**/*', 'fedora', 'azl')]);
    const byName = new Map(out.map((e) => [e.name, e]));
    expect(text(byName.get('pkg-1.0/configure'))).toBe('#!/bin/sh\necho azl\n');
    expect(text(byName.get('pkg-1.0/src/sub/b.c'))).toBe('int azl_b;\n');
    expect(byName.get('pkg-1.0/configure')).toMatchObject({ mode: 0o755, uid: 1000, uname: 'dev' });
    expect(byName.get('pkg-1.0/data.bin')).toBe(TARBALL.at(-1));
    expect(byName.get('pkg-1.0/README')).toBe(TARBALL[1]); // no match: the same entry
  });

  it('applies a group in list order, each overlay seeing the previous one’s result', () => {
    const out = edit([replacing('README', 'Fedora', 'Azure Linux'), replacing('README', 'Azure', 'AZ')]);
    expect(text(out.find((e) => e.name === 'pkg-1.0/README'))).toBe('AZ Linux readme\n');
  });

  it('uses archive-root instead of the inferred root, and the archive top when there are several roots', () => {
    expect(names(edit([removing('b.c', { 'archive-root': 'pkg-1.0/src/sub' })]))).not.toContain(
      'pkg-1.0/src/sub/b.c',
    );
    const flat = [file('a.txt', 'x\n'), file('docs/b.txt', 'x\n')];
    expect(names(edit([removing('docs/b.txt')], flat))).toEqual(['a.txt']);
    const dotted = [dir('./'), dir('./pkg-1.0/'), file('./pkg-1.0/a.txt', 'x\n')];
    expect(names(edit([removing('a.txt')], dotted))).toEqual(['./', './pkg-1.0/']);
  });

  it('is overlay drift, naming component, overlay index, archive and pattern, when a pattern matches nothing', () => {
    const error = failureOf(() => edit([replacing('README', 'Fedora', 'x'), removing('src/*.cpp')]));
    expect(error.code).toBe('overlay.drift');
    expect(error.context).toMatchObject({
      component: 'pkg',
      overlayIndex: 1,
      overlayType: 'file-remove',
      archive: ARCHIVE,
      pattern: 'src/*.cpp',
    });
    expect(error.message).toContain(`"src/*.cpp" did not match any files in archive "${ARCHIVE}"`);
    // A regex that changes nothing is drift as well, and a pattern cannot reach above the root.
    expect(failureOf(() => edit([replacing('README', 'Debian', 'x')])).code).toBe('overlay.drift');
    expect(failureOf(() => edit([removing('pkg-1.0/README')])).code).toBe('overlay.drift');
  });

  it('refuses an archive-root that is not a directory of the archive, and two different roots for one archive', () => {
    const missing = failureOf(() => edit([removing('a.c', { 'archive-root': 'pkg-2.0' })]));
    expect(missing.code).toBe('overlay.drift');
    expect(missing.context).toMatchObject({ archive: ARCHIVE, archiveRoot: 'pkg-2.0', overlayIndex: 0 });
    const conflict = failureOf(() =>
      archiveGroups('pkg', [
        removing('a.c', { 'archive-root': 'pkg-1.0/src' }),
        removing('b.c', { 'archive-root': 'pkg-1.0' }),
      ]),
    );
    expect(conflict.code).toBe('overlay.archive-root-conflict');
    expect(conflict.context).toMatchObject({ overlayIndex: 1, archive: ARCHIVE });
  });

  it('turns a hard link to a removed file into a file with its content, and keeps one to a kept file', () => {
    const link = (name: string, target: string): ArchiveEntry => ({
      ...file(name),
      type: 'link',
      linkname: target,
      body: new Uint8Array(),
    });
    const entries = [
      ...TARBALL,
      link('pkg-1.0/README.copy', 'pkg-1.0/README'),
      link('pkg-1.0/c2', 'pkg-1.0/configure'),
    ];
    const out = new Map(edit([removing('README')], entries).map((e) => [e.name, e]));
    expect(out.has('pkg-1.0/README')).toBe(false);
    expect(out.get('pkg-1.0/README.copy')).toMatchObject({ type: 'file', mode: 0o644 });
    expect(out.get('pkg-1.0/README.copy')).not.toHaveProperty('linkname');
    expect(text(out.get('pkg-1.0/README.copy'))).toBe('Fedora readme\n');
    expect(out.get('pkg-1.0/c2')).toBe(entries.at(-1));
  });

  it('refuses a search-replace whose every match is binary', () => {
    const error = failureOf(() => edit([replacing('data.bin', 'fedora', 'azl')]));
    expect(error.code).toBe('overlay.binary-file');
    expect(error.context).toMatchObject({ archive: ARCHIVE, file: 'data.bin', pattern: 'data.bin' });
  });

  it('groups overlays per archive in order of first appearance, skipping loose-file overlays', () => {
    const groups = archiveGroups('pkg', [
      removing('a', { archive: 'b.tar.xz' }),
      { type: 'file-remove', file: 'loose' },
      removing('b'),
      removing('c', { archive: 'b.tar.xz' }),
    ]);
    expect(groups.map((g) => [g.archive, g.steps.map((s) => s.index)])).toEqual([
      ['b.tar.xz', [0, 3]],
      [ARCHIVE, [2]],
    ]);
  });
});

describe('reproducible repack order', () => {
  it('sorts as a directory walk (a directory before its contents), fixes mtime, keeps owner and mode', () => {
    const shuffled = [file('a-b/x'), file('a/x'), dir('a/'), dir('a-b/'), file('a/b/c'), dir('a/b/')];
    const out = reproducibleEntries(shuffled);
    expect(names(out)).toEqual(['a/', 'a/b/', 'a/b/c', 'a/x', 'a-b/', 'a-b/x']);
    expect(new Set(out.map((e) => e.mtime))).toEqual(new Set([0]));
    expect(out[3]).toMatchObject({ uid: 1000, gid: 1000, uname: 'dev', mode: 0o644 });
    expect(compareEntryPaths('a', 'a/b')).toBeLessThan(0);
    expect(entryPath({ name: './pkg/' })).toBe('pkg');
  });

  it('drops pax time and path records and keeps the others', () => {
    const [entry] = reproducibleEntries([
      file('a', 'x', { pax: { mtime: '1.5', atime: '2', path: 'a', 'SCHILY.xattr.user.k': 'v' } }),
    ]);
    expect(entry?.pax).toEqual({ 'SCHILY.xattr.user.k': 'v' });
    const [plain] = reproducibleEntries([file('b', 'x', { pax: { ctime: '3' } })]);
    expect(plain).not.toHaveProperty('pax');
  });
});
