import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { checkPlanInputs, planDownloads } from '../../../shared/sources/download-plan';
import type { LookasideEntry } from '../../../shared/sources/sources-file';

const TEMPLATE = 'https://src.fedoraproject.org/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename';
const A: LookasideEntry = { filename: 'a.tar.gz', hashType: 'sha512', hash: 'a'.repeat(128) };
const B: LookasideEntry = { filename: 'b.tar.gz', hashType: 'md5', hash: 'b'.repeat(32) };

describe('planDownloads', () => {
  it('plans lookaside URLs from the template with the dist-git package name', () => {
    const plan = planDownloads('hello', TEMPLATE, [A, B]);
    expect(plan.map((item) => [item.filename, item.origin, item.url.href, item.expected])).toEqual([
      [
        'a.tar.gz',
        'lookaside',
        `https://src.fedoraproject.org/repo/pkgs/hello/a.tar.gz/sha512/${'a'.repeat(128)}/a.tar.gz`,
        'a'.repeat(128),
      ],
      [
        'b.tar.gz',
        'lookaside',
        `https://src.fedoraproject.org/repo/pkgs/hello/b.tar.gz/md5/${'b'.repeat(32)}/b.tar.gz`,
        'b'.repeat(32),
      ],
    ]);
  });

  it('lets a source-files entry replace the lookaside file of the same name', () => {
    const plan = planDownloads(
      'hello',
      TEMPLATE,
      [A, B],
      [
        {
          filename: 'a.tar.gz',
          hashType: 'SHA256',
          hash: 'C'.repeat(64),
          origin: { type: 'download', uri: 'https://example.org/a' },
        },
        { filename: 'extra.bin', origin: { type: 'download', uri: 'https://example.org/extra' } },
      ],
    );
    expect(plan.map((item) => [item.filename, item.origin, item.hashType, item.expected])).toEqual([
      ['b.tar.gz', 'lookaside', 'md5', 'b'.repeat(32)],
      ['a.tar.gz', 'source-files', 'sha256', 'c'.repeat(64)],
      ['extra.bin', 'source-files', 'sha512', undefined],
    ]);
  });

  it('refuses hostile source-files names, duplicate names, bad hashes and refused URLs', () => {
    const code = (action: () => unknown) => {
      try {
        action();
        return undefined;
      } catch (error) {
        return PipelineError.is(error) ? error.code : 'other';
      }
    };
    const origin = { type: 'download' as const, uri: 'https://example.org/x' };
    expect(code(() => planDownloads('p', TEMPLATE, [], [{ filename: '../x', origin }]))).toBe(
      'sources.invalid-name',
    );
    const twice = [
      { filename: 'x', origin },
      { filename: 'x', origin },
    ];
    expect(code(() => planDownloads('p', TEMPLATE, [], twice))).toBe('sources.invalid-name');
    expect(code(() => planDownloads('p', TEMPLATE, [], [{ filename: 'x', hash: 'zz', origin }]))).toBe(
      'sources.malformed',
    );
    const ftp = { type: 'download' as const, uri: 'ftp://example.org/x' };
    expect(code(() => planDownloads('p', TEMPLATE, [], [{ filename: 'x', origin: ftp }]))).toBe(
      'sources.invalid-url',
    );
    expect(code(() => planDownloads('p', 'http://example.org/$pkg/$filename', [A]))).toBe(
      'sources.invalid-url',
    );
    expect(code(() => checkPlanInputs('p', 'http://example.org/$pkg/$filename'))).toBe('sources.invalid-url');
    expect(code(() => checkPlanInputs('p', TEMPLATE))).toBeUndefined();
    const spec: LookasideEntry = { ...A, filename: 'p.spec' };
    expect(code(() => planDownloads('p', TEMPLATE, [spec], [], new Set(['p.spec'])))).toBe(
      'sources.invalid-name',
    );
  });
});
