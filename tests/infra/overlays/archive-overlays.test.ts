import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderForBuild } from '../../../infra/builders/render-for-build';
import { applyOverlays } from '../../../infra/overlays/apply-overlays';
import { downloadVerified } from '../../../infra/sources/download';
import { parseSourcesFile } from '../../../shared/sources/sources-file';
import {
  ARCHIVE_KINDS,
  ARCHIVE_OWNER,
  listArchive,
  prepRendered,
  readArchiveMember,
  sha512Of,
  writeArchiveUpstream,
  writeOverlaysJson,
} from '../../../testing/fixtures/archive-upstream';
import { DISTROS } from '../../../testing/fixtures/distro-tree';
import { failure } from '../../../testing/failures';
import { tempDirForTest } from '../../../testing/temp-dirs';

const MAGIC: Record<string, string> = { gz: '1f8b', tgz: '1f8b', xz: 'fd377a585a00', zst: '28b52ffd' };

function setUp(kind: (typeof ARCHIVE_KINDS)[number], overlays: Record<string, unknown>[]) {
  const root = tempDirForTest('azl-archive-overlays-');
  const upstream = writeArchiveUpstream(join(root, 'upstream'), kind);
  const file = writeOverlaysJson(
    join(root, 'pkg.json'),
    overlays.map((o) => ({ archive: kind.name, ...o })),
  );
  const render = (out: string) =>
    applyOverlays({ overlays: file, component: 'pkg', upstream, out: join(root, out) });
  return { root, upstream, render };
}

const EDITS = [
  { type: 'file-remove', file: 'src/sub/*.c', description: 'drop the extra sources' },
  { type: 'file-search-replace', file: '**/*.c', regex: 'fedora', replacement: 'azl' },
  { type: 'file-search-replace', file: 'configure', regex: 'echo fedora', replacement: 'echo azl' },
];

describe.each(ARCHIVE_KINDS)('archive overlays on $name', (kind) => {
  it('removes and edits files inside it, keeping owner, group, mode and compression, with mtime 0', async () => {
    const { root, upstream, render } = setUp(kind, EDITS);
    await render('out');
    const archive = join(root, 'out', kind.name);
    const listing = listArchive(archive);
    expect(listing).not.toContain('pkg-1.0/src/sub/extra.c');
    expect(listing).toContain('pkg-1.0/src/sub/extra.h');
    expect(readArchiveMember(archive, 'pkg-1.0/src/main.c')).toBe('const char *vendor = "azl";\n');
    // `*` stops at `/`, `**` crosses it: extra.h is no .c, main.c is one level down.
    expect(readArchiveMember(archive, 'pkg-1.0/src/sub/extra.h')).toBe('int fedora_extra;\n');
    expect(readArchiveMember(archive, 'pkg-1.0/configure')).toBe('#!/bin/sh\necho azl\n');
    const configure = listing.split('\n').find((line) => line.endsWith('pkg-1.0/configure')) ?? '';
    expect(configure).toMatch(
      new RegExp(`^-rwxr-xr-x ${ARCHIVE_OWNER.uid}/${ARCHIVE_OWNER.gid} .* 1970-01-01 00:00:00 `),
    );
    for (const line of listing.trim().split('\n')) expect(line).toContain(' 1970-01-01 00:00:00 ');
    const head = (path: string) => readFileSync(path).subarray(0, 6).toString('hex');
    const extension = kind.name.split('.').at(-1) ?? '';
    if (MAGIC[extension]) expect(head(archive)).toMatch(new RegExp(`^${MAGIC[extension]}`));
    else expect(readFileSync(archive).subarray(257, 262).toString()).toBe('ustar');
    expect(statSync(archive).mode & 0o777).toBe(statSync(join(upstream, kind.name)).mode & 0o777);
  });

  it('is unpacked by the spec’s %setup as edited (rpmbuild -bp)', async () => {
    const { root, render } = setUp(kind, EDITS);
    await render('out');
    const source = prepRendered(join(root, 'out'), join(root, 'rpmbuild'));
    expect(existsSync(join(source, 'src', 'sub', 'extra.c'))).toBe(false);
    expect(readFileSync(join(source, 'src', 'main.c'), 'utf8')).toBe('const char *vendor = "azl";\n');
    expect(statSync(join(source, 'configure')).mode & 0o777).toBe(0o755);
  });

  it('repacks reproducibly and re-hashes the sources line, which the build’s source verification accepts', async () => {
    const { root, upstream, render } = setUp(kind, EDITS);
    await render('one');
    await render('two');
    const one = readFileSync(join(root, 'one', kind.name));
    expect(one.equals(readFileSync(join(root, 'two', kind.name)))).toBe(true);
    expect(sha512Of(join(root, 'one', kind.name))).not.toBe(sha512Of(join(upstream, kind.name)));

    const [entry] = parseSourcesFile(readFileSync(join(root, 'one', 'sources'), 'utf8'));
    expect(entry).toEqual({
      filename: kind.name,
      hashType: 'sha512',
      hash: sha512Of(join(root, 'one', kind.name)),
    });
    const verify = (expected: string, target: string) =>
      downloadVerified({
        url: pathToFileURL(join(root, 'one', kind.name)),
        target: join(root, target),
        file: kind.name,
        hashType: 'sha512',
        expected,
        timeoutMs: 10_000,
      });
    await expect(verify(entry?.hash ?? '', 'verified')).resolves.toMatchObject({ size: one.length });
    const stale = await failure(verify(sha512Of(join(upstream, kind.name)), 'stale'));
    expect(stale.code).toBe('sources.hash-mismatch');
  });
});

describe('archive overlays through the build render', () => {
  it('gives the build the same archive and sources as overlays apply', async () => {
    const [kind] = ARCHIVE_KINDS.filter((k) => k.name.endsWith('.tar.xz'));
    if (kind === undefined) throw new Error('no .tar.xz kind');
    const { root, upstream, render } = setUp(kind, EDITS);
    await render('cli');
    const distro = join(root, 'distro');
    writeDistro(distro, kind.name);
    await renderForBuild({ config: distro, component: 'pkg', upstream, out: join(root, 'build') });
    for (const file of [kind.name, 'sources']) {
      expect(readFileSync(join(root, 'build', file)).equals(readFileSync(join(root, 'cli', file)))).toBe(
        true,
      );
    }
  });

  it('is drift naming the archive and pattern when a pattern matches nothing in it, and writes nothing', async () => {
    const [kind] = ARCHIVE_KINDS;
    const { root, render } = setUp(kind, [{ type: 'file-remove', file: 'src/*.cpp' }]);
    const error = await failure(render('out'));
    expect(error.code).toBe('overlay.drift');
    expect(error.context).toMatchObject({
      component: 'pkg',
      overlayIndex: 0,
      archive: kind.name,
      pattern: 'src/*.cpp',
    });
    expect(() => statSync(join(root, 'out'))).toThrow();
  });

  it('is overlay.archive-unreadable for an archive that is not a tar, naming component, overlay and archive', async () => {
    const kind = ARCHIVE_KINDS[1];
    const { upstream, render } = setUp(kind, [{ type: 'file-remove', file: 'README' }]);
    writeFileSync(join(upstream, kind.name), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]));
    const error = await failure(render('out'));
    expect(error.code).toBe('overlay.archive-unreadable');
    expect(error.context).toMatchObject({
      component: 'pkg',
      overlayIndex: 0,
      archive: kind.name,
      compression: 'gzip',
    });
    const xz = ARCHIVE_KINDS[3];
    const broken = setUp(xz, [{ type: 'file-remove', file: 'README' }]);
    writeFileSync(join(broken.upstream, xz.name), 'not xz at all');
    expect((await failure(broken.render('out'))).code).toBe('overlay.archive-unreadable');
  });
});

/** A one-component distro tree whose component carries the archive overlays. */
function writeDistro(dir: string, archive: string): void {
  const overlays = EDITS.map(
    (o) =>
      `[[components.pkg.overlays]]\n${Object.entries({ ...o, archive })
        .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
        .join('\n')}\n`,
  ).join('\n');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'azldev.toml'), `${DISTROS}\n[components.pkg]\n\n${overlays}`);
}
