import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateRepodata } from '../../../testing/rpm/repodata-generator';
import type { GeneratedRepodata } from '../../../testing/rpm/repodata-generator';
import { loadRepository } from '../../../infra/deps/load-repository';
import { DepsIndex } from '../../../shared/deps/dep-index';
import { PipelineError } from '../../../shared/errors';
import { useTempDir } from '../../../testing/temp-dirs';
import { useLoopbackServer } from '../../../testing/loopback-http';
import { RecordingProgress } from '../../../testing/fakes/recording-progress';

const dir = useTempDir('deps-load-');
let gz: GeneratedRepodata;
let plain: GeneratedRepodata;
/** Serves `dir` with a Content-Length, or chunked (no length) under `/chunked/`. */
const server = useLoopbackServer((req, res) => {
  const chunked = req.url?.startsWith('/chunked/') ?? false;
  const path = join(dir, decodeURIComponent((req.url ?? '/').replace(/^\/chunked/, '')));
  if (req.url?.startsWith('/fail')) return void res.writeHead(503).end();
  if (!existsSync(path)) return void res.writeHead(404).end();
  if (!chunked) res.setHeader('content-length', statSync(path).size);
  createReadStream(path).pipe(res);
});

beforeAll(async () => {
  gz = await generateRepodata(join(dir, 'gz'), { sources: 200, seed: 7 });
  plain = await generateRepodata(join(dir, 'plain'), { sources: 200, seed: 7, gzip: false });
});

async function build(binary: string, source: string): Promise<DepsIndex> {
  const index = new DepsIndex();
  expect(await loadRepository(binary, index)).toBe(gz.binaries);
  expect(await loadRepository(source, index)).toBe(200);
  return index;
}

describe('loadRepository', () => {
  it('loads gz and plain repositories from folders and HTTP alike', async () => {
    const local = await build(gz.binary, gz.source);
    expect(plain.binaries).toBe(gz.binaries);
    expect(local.sourceOfBinary('zlib-devel')).toBe('zlib');
    expect(local.reverseBuildDependents('glibc').length).toBeGreaterThan(150);
    expect(local.whatProvides('/usr/bin/perl')).toEqual(['perl']);
    const reference = local.serialize();
    expect((await build(plain.binary, plain.source)).serialize().equals(reference)).toBe(true);
    expect(
      (await build(`${server.origin}/gz/binary`, `${server.origin}/gz/source/`))
        .serialize()
        .equals(reference),
    ).toBe(true);
    expect(
      (await build(`${server.origin}/plain/binary`, `${server.origin}/plain/source`))
        .serialize()
        .equals(reference),
    ).toBe(true);
  });

  it('classifies failures', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(join(bad, 'repodata'), { recursive: true });
    writeFileSync(
      join(bad, 'repodata', 'repomd.xml'),
      '<repomd><data type="primary"><location href="repodata/p.xml"/></data></repomd>',
    );
    writeFileSync(
      join(bad, 'repodata', 'p.xml'),
      '<metadata>\n<package><name>a</name>\n<arch>x</oops></package></metadata>',
    );
    const err = await loadRepository(bad, new DepsIndex()).catch((e: unknown) => e);
    expect(PipelineError.is(err, 'deps.malformed') && !err.retryable && err.context).toMatchObject({
      line: 3,
    });
    expect(String((err as Error).message)).toContain('p.xml:3');
    writeFileSync(join(bad, 'repodata', 'repomd.xml'), '<repomd><data type="other"/></repomd>');
    await expect(loadRepository(bad, new DepsIndex())).rejects.toMatchObject({ code: 'deps.malformed' });
    await expect(loadRepository(join(dir, 'missing'), new DepsIndex())).rejects.toMatchObject({
      code: 'deps.malformed',
    });
    await expect(loadRepository(`${server.origin}/fail`, new DepsIndex())).rejects.toMatchObject({
      code: 'deps.unavailable',
      retryable: true,
    });
    await expect(loadRepository('http://127.0.0.1:1/repo', new DepsIndex())).rejects.toMatchObject({
      code: 'deps.unavailable',
      retryable: true,
    });
    writeFileSync(join(bad, 'primary.xml.gz'), 'not gzip');
    await expect(loadRepository(join(bad, 'primary.xml.gz'), new DepsIndex())).rejects.toMatchObject({
      code: 'deps.malformed',
    });
  });
});

describe('loadRepository progress', () => {
  /** The size of the primary file a generated repository's repomd names. */
  const primarySize = (repo: string): number => {
    const name = readdirSync(join(repo, 'repodata')).find((file) => file.includes('primary'));
    return statSync(join(repo, 'repodata', name!)).size;
  };

  it('counts the primary file read, in megabytes of its stored size, from a folder or HTTP', async () => {
    for (const [repo, location] of [
      [gz.binary, gz.binary],
      [plain.binary, plain.binary],
      [gz.binary, `${server.origin}/gz/binary`],
    ] as const) {
      const progress = new RecordingProgress();
      await loadRepository(location, new DepsIndex(), progress);
      const total = Math.max(1, Math.ceil(primarySize(repo) / 1_000_000));
      expect(progress.tasks, location).toMatchObject([
        { total, unit: 'MB of repodata read', finished: true },
      ]);
      expect(progress.done(), location).toBe(total);
    }
  });

  it('shows nothing when the size is not known (no Content-Length)', async () => {
    const progress = new RecordingProgress();
    expect(await loadRepository(`${server.origin}/chunked/gz/binary`, new DepsIndex(), progress)).toBe(
      gz.binaries,
    );
    expect(progress.tasks).toEqual([]);
  });

  it('finishes short of the total when the primary file is malformed', async () => {
    const bad = join(dir, 'bad-progress');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'primary.xml'), '<metadata>\n<package><name>a</oops></metadata>');
    const progress = new RecordingProgress();
    await expect(loadRepository(join(bad, 'primary.xml'), new DepsIndex(), progress)).rejects.toMatchObject({
      code: 'deps.malformed',
    });
    expect(progress.tasks).toMatchObject([{ total: 1, finished: true }]);
    expect(progress.done()).toBe(0);
  });
});
