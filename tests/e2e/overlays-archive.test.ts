import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSourcesFile } from '../../shared/sources/sources-file';
import {
  ARCHIVE_KINDS,
  listArchive,
  readArchiveMember,
  sha512Of,
  writeArchiveUpstream,
  writeOverlaysJson,
} from '../../testing/fixtures/archive-upstream';
import { runCli } from '../../testing/pipeline/cli-process';
import { tempDirForTest } from '../../testing/temp-dirs';

async function overlaysApply(overlays: string, upstream: string, out: string) {
  const run = runCli([
    'overlays',
    'apply',
    '--overlays',
    overlays,
    '--component',
    'pkg',
    '--upstream',
    upstream,
    '--out',
    out,
  ]);
  return { code: await run.exited, output: run.output() };
}

describe('azl-rebuilder overlays apply with archive-scoped overlays', () => {
  const kind = ARCHIVE_KINDS[2]; // .tgz

  it('edits inside the downloaded tarball and writes its new hash to sources', async () => {
    const root = tempDirForTest('azl-overlays-archive-');
    const upstream = writeArchiveUpstream(join(root, 'upstream'), kind);
    const overlays = writeOverlaysJson(join(root, 'pkg.json'), [
      { type: 'file-remove', file: '**/extra.*', archive: kind.name },
      {
        type: 'file-search-replace',
        file: 'README',
        regex: 'Fedora',
        replacement: 'Azure Linux',
        archive: kind.name,
      },
    ]);
    const { code, output } = await overlaysApply(overlays, upstream, join(root, 'out'));
    expect({ code, output }).toMatchObject({ code: 0 });
    const archive = join(root, 'out', kind.name);
    expect(listArchive(archive)).not.toContain('extra.');
    expect(readArchiveMember(archive, 'pkg-1.0/README')).toBe('pkg from Azure Linux\n');
    const sources = parseSourcesFile(readFileSync(join(root, 'out', 'sources'), 'utf8'));
    expect(sources).toEqual([{ filename: kind.name, hashType: 'sha512', hash: sha512Of(archive) }]);
  });

  it('exits 3 (overlay drift) naming the archive and pattern when a pattern matches nothing inside it', async () => {
    const root = tempDirForTest('azl-overlays-archive-');
    const upstream = writeArchiveUpstream(join(root, 'upstream'), kind);
    const overlays = writeOverlaysJson(join(root, 'pkg.json'), [
      { type: 'file-remove', file: 'src/*.h', archive: kind.name },
    ]);
    const { code, output } = await overlaysApply(overlays, upstream, join(root, 'out'));
    expect(code).toBe(3);
    expect(output).toContain(`pattern "src/*.h" did not match any files in archive "${kind.name}"`);
    expect(output).toContain(`"archive":"${kind.name}","pattern":"src/*.h"`);
  });
});
