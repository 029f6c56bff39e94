import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRequest } from '../../../shared/sources/request';
import { prepareSources } from '../../../infra/sources/prepare-sources';
import { buildBareRepo } from '../../../testing/sources/bare-repo';
import type { LookasideServer } from '../../../testing/sources/lookaside-server';
import { startLookaside } from '../../../testing/sources/lookaside-server';
import { closedPort } from '../../../testing/loopback-http';
import { failure } from '../../../testing/failures';
import { useTempDir } from '../../../testing/temp-dirs';

const sha = (algorithm: string, data: Buffer) => createHash(algorithm).update(data).digest('hex');
const TARBALL_1 = Buffer.from('hello 1.0 tarball bytes\n'.repeat(500));
const TARBALL_2 = Buffer.from('hello 2.0 tarball bytes\n'.repeat(700));
const EXTRA = Buffer.from('extra data file');
const PATCH = 'diff --git a/x b/x\n';

const root = useTempDir('azl-sources-test-');
let server: LookasideServer;
let ids: string[];
let outCount = 0;

const lookasidePath = (file: string, type: string, hash: string) =>
  `/repo/pkgs/hello/${file}/${type}/${hash}/${file}`;

beforeAll(async () => {
  ids = buildBareRepo(root, 'hello', 'f43', [
    {
      date: '2026-01-10T12:00:00Z',
      message: 'hello 1.0',
      files: {
        'hello.spec': 'Name: hello\nVersion: 1.0\n',
        'hello-fix.patch': PATCH,
        sources: `SHA512 (hello-1.0.tar.gz) = ${sha('sha512', TARBALL_1)}\n`,
      },
    },
    {
      date: '2026-02-01T12:00:00Z',
      message: 'hello 1.0-2',
      files: { 'hello.spec': 'Name: hello\nVersion: 1.0\nRelease: 2\n' },
    },
    {
      date: '2026-03-01T12:00:00Z',
      message: 'hello 2.0, old-style sources line',
      files: {
        'hello.spec': 'Name: hello\nVersion: 2.0\n',
        sources: `${sha('md5', TARBALL_2)}  hello-2.0.tar.gz\n${'SHA512'} (extra.dat) = ${sha('sha512', EXTRA)}\n`,
      },
    },
  ]);
  buildBareRepo(root, 'evil', 'f43', [
    {
      date: '2026-01-10T12:00:00Z',
      message: 'hostile sources',
      files: { 'evil.spec': 'Name: evil\n', sources: `SHA512 (../../escape) = ${'a'.repeat(128)}\n` },
    },
  ]);
  buildBareRepo(root, 'linky', 'f43', [
    {
      date: '2026-01-10T12:00:00Z',
      message: 'sources file pointing outside the checkout',
      files: { 'linky.spec': 'Name: linky\n' },
      symlinks: { sources: '/etc/hostname' },
    },
  ]);
  server = await startLookaside();
  server.answers.set(lookasidePath('hello-1.0.tar.gz', 'sha512', sha('sha512', TARBALL_1)), TARBALL_1);
  server.answers.set(lookasidePath('hello-2.0.tar.gz', 'md5', sha('md5', TARBALL_2)), TARBALL_2);
  server.answers.set(lookasidePath('extra.dat', 'sha512', sha('sha512', EXTRA)), EXTRA);
});

afterAll(async () => {
  await server?.close();
});

function request(overrides: Partial<SourceRequest> = {}): SourceRequest {
  return {
    component: 'hello',
    distGitTemplate: `file://${root}/rpms/$pkg.git`,
    branch: 'f43',
    lookasideTemplate: `${server.base}/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename`,
    ...overrides,
  };
}

const outDir = () => join(root, 'out', String((outCount += 1)));
const prepare = (overrides: Partial<SourceRequest> = {}) =>
  prepareSources(request(overrides), { outDir: outDir(), gitTimeoutMs: 10_000, downloadTimeoutMs: 5_000 });

describe('prepareSources: commit choice', () => {
  it('takes the branch head without event, pin or snapshot, and writes a full manifest', async () => {
    const result = await prepare();
    expect(result.manifest.commit).toBe(ids[2]);
    expect(result.manifest).toMatchObject({
      chosenBy: 'head',
      chosen: 'head',
      branch: 'f43',
      spec: 'hello.spec',
    });
    expect(readFileSync(result.specPath, 'utf8')).toContain('Version: 2.0');
    expect(readdirSync(result.sourcesDir).sort()).toEqual([
      'extra.dat',
      'hello-2.0.tar.gz',
      'hello-fix.patch',
      'hello.spec',
      'sources',
    ]);
    expect(readFileSync(join(result.sourcesDir, 'hello-2.0.tar.gz'))).toEqual(TARBALL_2);
    const manifest = JSON.parse(readFileSync(result.manifestPath, 'utf8'));
    expect(manifest).toEqual(result.manifest);
    const tarball = result.manifest.files.find((file) => file.path === 'hello-2.0.tar.gz');
    expect(tarball).toMatchObject({ origin: 'lookaside', size: TARBALL_2.length, hashType: 'md5' });
    expect(tarball?.hash).toBe(sha('md5', TARBALL_2));
    const patch = result.manifest.files.find((file) => file.path === 'hello-fix.patch');
    expect(patch).toEqual({
      path: 'hello-fix.patch',
      origin: 'dist-git',
      size: PATCH.length,
      hashType: 'sha256',
      hash: sha('sha256', Buffer.from(PATCH)),
    });
    expect(result.manifest.files.map((file) => file.path)).toEqual(
      [...result.manifest.files.map((f) => f.path)].sort(),
    );
  });

  it('takes the last commit before the snapshot', async () => {
    const result = await prepare({ snapshot: '2026-02-15T00:00:00-08:00' });
    expect(result.manifest).toMatchObject({ commit: ids[1], chosenBy: 'snapshot' });
    expect(readFileSync(result.specPath, 'utf8')).toContain('Release: 2');
    expect(readFileSync(join(result.sourcesDir, 'hello-1.0.tar.gz'))).toEqual(TARBALL_1);
  });

  it('prefers a pin (abbreviated) over the snapshot, and the event over both', async () => {
    const pinned = await prepare({ pinnedCommit: ids[0]?.slice(0, 10), snapshot: '2026-02-15T00:00:00Z' });
    expect(pinned.manifest).toMatchObject({ commit: ids[0], chosenBy: 'pin' });
    const byEvent = await prepare({ eventCommit: ids[1], pinnedCommit: ids[0] });
    expect(byEvent.manifest).toMatchObject({ commit: ids[1], chosenBy: 'event' });
  });

  it('renames the upstream spec to the component name', async () => {
    const result = await prepare({ component: 'hello-azl', upstreamName: 'hello' });
    expect(readdirSync(result.sourcesDir)).toContain('hello-azl.spec');
    expect(readdirSync(result.sourcesDir)).not.toContain('hello.spec');
    expect(result.manifest.spec).toBe('hello-azl.spec');
  });

  it('fetches source-files from their origin instead of the lookaside, verifying a declared hash', async () => {
    const replacement = Buffer.from('repacked tarball');
    server.answers.set('/origin/hello-2.0.tar.gz', replacement);
    const result = await prepare({
      sourceFiles: [
        {
          filename: 'hello-2.0.tar.gz',
          hash: sha('sha256', replacement),
          hashType: 'SHA256',
          origin: { type: 'download', uri: `${server.base}/origin/hello-2.0.tar.gz` },
        },
      ],
    });
    expect(readFileSync(join(result.sourcesDir, 'hello-2.0.tar.gz'))).toEqual(replacement);
    const entry = result.manifest.files.find((file) => file.path === 'hello-2.0.tar.gz');
    expect(entry).toMatchObject({ origin: 'source-files', hashType: 'sha256', size: replacement.length });
  });
});

describe('prepareSources: failures', () => {
  it('a corrupt download is sources.hash-mismatch naming file, expected and actual hash; nothing is placed', async () => {
    const path = lookasidePath('hello-1.0.tar.gz', 'sha512', sha('sha512', TARBALL_1));
    const corrupt = Buffer.from('not the tarball');
    server.answers.set(path, corrupt);
    const dir = outDir();
    try {
      const error = await failure(prepareSources(request({ eventCommit: ids[0] }), { outDir: dir }));
      expect(error.code).toBe('sources.hash-mismatch');
      expect(error.retryable).toBe(false);
      expect(error.context).toMatchObject({
        file: 'hello-1.0.tar.gz',
        expected: sha('sha512', TARBALL_1),
        actual: sha('sha512', corrupt),
      });
      expect(existsSync(join(dir, 'sources', 'hello-1.0.tar.gz'))).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
      // The failure cleaned up after itself: the same folder can be used again.
      server.answers.set(path, TARBALL_1);
      const retried = await prepareSources(request({ eventCommit: ids[0] }), { outDir: dir });
      expect(retried.manifest.commit).toBe(ids[0]);
    } finally {
      server.answers.set(path, TARBALL_1);
    }
  });

  it('a file missing from the lookaside is sources.not-found; a 500 is sources.unavailable', async () => {
    const path = lookasidePath('extra.dat', 'sha512', sha('sha512', EXTRA));
    try {
      server.answers.set(path, 404);
      const missing = await failure(prepare());
      expect(missing).toMatchObject({ code: 'sources.not-found', retryable: false });
      expect(missing.context).toMatchObject({ file: 'extra.dat', status: 404 });
      server.answers.set(path, 500);
      expect(await failure(prepare())).toMatchObject({ code: 'sources.unavailable', retryable: true });
    } finally {
      server.answers.set(path, EXTRA);
    }
  });

  it('an unreachable lookaside or dist-git host is sources.unavailable (retryable)', async () => {
    const port = await closedPort();
    const lookaside = await failure(
      prepare({ lookasideTemplate: `http://127.0.0.1:${port}/$pkg/$filename/$hashtype/$hash/$filename` }),
    );
    expect(lookaside).toMatchObject({ code: 'sources.unavailable', retryable: true });
    const git = await failure(prepare({ distGitTemplate: `http://127.0.0.1:${port}/rpms/$pkg.git` }));
    expect(git).toMatchObject({ code: 'sources.unavailable', retryable: true });
  });

  it('an unknown commit, branch or pre-history snapshot is sources.unknown-ref; a missing repo is not-found', async () => {
    const unknownCommit = await failure(prepare({ eventCommit: '0123456789abcdef0123456789abcdef01234567' }));
    expect(unknownCommit).toMatchObject({ code: 'sources.unknown-ref', retryable: false });
    expect(await failure(prepare({ pinnedCommit: 'abcdef1' }))).toMatchObject({
      code: 'sources.unknown-ref',
    });
    expect(await failure(prepare({ branch: 'f99' }))).toMatchObject({ code: 'sources.unknown-ref' });
    const early = await failure(prepare({ snapshot: '2025-01-01T00:00:00Z' }));
    expect(early).toMatchObject({ code: 'sources.unknown-ref' });
    expect(await failure(prepare({ component: 'nosuchpkg' }))).toMatchObject({ code: 'sources.not-found' });
  });

  it('dist-git over http: a 404 repository is sources.not-found, a 500 is sources.unavailable', async () => {
    const distGitTemplate = `${server.base}/rpms/$pkg.git`;
    const missing = await failure(prepare({ distGitTemplate }));
    expect(missing).toMatchObject({ code: 'sources.not-found', retryable: false });
    server.answers.set('/rpms/hello.git/info/refs', 500);
    try {
      const down = await failure(prepare({ distGitTemplate }));
      expect(down).toMatchObject({ code: 'sources.unavailable', retryable: true });
    } finally {
      server.answers.delete('/rpms/hello.git/info/refs');
    }
  });

  it('refuses hostile names and URLs before fetching anything', async () => {
    const before = server.requests.length;
    const name = await failure(prepare({ component: '../etc' }));
    expect(name).toMatchObject({ code: 'sources.invalid-name', retryable: false });
    expect(name.context).toMatchObject({ value: '../etc' });
    const file = await failure(prepare({ component: 'evil' }));
    expect(file).toMatchObject({ code: 'sources.invalid-name' });
    expect(file.context.value).toBe('../../escape');
    const linked = await failure(prepare({ component: 'linky' }));
    expect(linked).toMatchObject({ code: 'sources.malformed', retryable: false });
    expect(linked.context).toMatchObject({ file: 'sources' });
    const http = await failure(
      prepare({ lookasideTemplate: 'http://example.org/$pkg/$filename/$hashtype/$hash' }),
    );
    expect(http).toMatchObject({ code: 'sources.invalid-url', retryable: false });
    const gitUrl = await failure(prepare({ distGitTemplate: 'ext::sh -c touch% /tmp/x/$pkg' }));
    expect(gitUrl).toMatchObject({ code: 'sources.invalid-url' });
    const origin = await failure(
      prepare({
        sourceFiles: [{ filename: 'x.tar', origin: { type: 'download', uri: 'http://10.0.0.1/x.tar' } }],
      }),
    );
    expect(origin).toMatchObject({ code: 'sources.invalid-url' });
    expect(server.requests.length).toBe(before);
    // Refused before git runs: no output beyond the empty folder.
    const dir = outDir();
    const early = await failure(
      prepareSources(request({ lookasideTemplate: 'ftp://example.org/$pkg/$filename' }), { outDir: dir }),
    );
    expect(early).toMatchObject({ code: 'sources.invalid-url' });
    expect(existsSync(join(dir, 'sources'))).toBe(false);
  });
});
