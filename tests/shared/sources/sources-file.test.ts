import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { parseSourcesFile } from '../../../shared/sources/sources-file';

const SHA512 = 'ab'.repeat(64);
const MD5 = '0123456789abcdef0123456789ABCDEF';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return PipelineError.is(error) ? error.code : 'not-a-pipeline-error';
  }
  return undefined;
}

describe('parseSourcesFile', () => {
  it('reads the modern and the legacy line forms, skipping blank lines', () => {
    const text = `SHA512 (acl-2.3.2.tar.gz) = ${SHA512}\n\n${MD5}  old-1.0.tar.bz2\r\n`;
    expect(parseSourcesFile(text)).toEqual([
      { filename: 'acl-2.3.2.tar.gz', hashType: 'sha512', hash: SHA512 },
      { filename: 'old-1.0.tar.bz2', hashType: 'md5', hash: MD5.toLowerCase() },
    ]);
  });

  it('keeps names with spaces and parentheses in the modern form', () => {
    const [entry] = parseSourcesFile(`SHA256 (a (b).tar) = ${'c'.repeat(64)}`);
    expect(entry).toEqual({ filename: 'a (b).tar', hashType: 'sha256', hash: 'c'.repeat(64) });
  });

  it('refuses hostile file names', () => {
    expect(codeOf(() => parseSourcesFile(`SHA512 (../evil) = ${SHA512}`))).toBe('sources.invalid-name');
    expect(codeOf(() => parseSourcesFile(`SHA512 (a/b.tar) = ${SHA512}`))).toBe('sources.invalid-name');
    expect(codeOf(() => parseSourcesFile(`${MD5}  ..hidden`))).toBe('sources.invalid-name');
  });

  it('refuses malformed lines, wrong hash lengths, unknown types and duplicates', () => {
    expect(codeOf(() => parseSourcesFile('just text'))).toBe('sources.malformed');
    expect(codeOf(() => parseSourcesFile('SHA512 (a.tar) = abcd'))).toBe('sources.malformed');
    expect(codeOf(() => parseSourcesFile(`CRC32 (a.tar) = ${SHA512}`))).toBe('sources.malformed');
    const twice = `SHA512 (a.tar) = ${SHA512}\n${MD5}  a.tar`;
    expect(codeOf(() => parseSourcesFile(twice))).toBe('sources.malformed');
  });
});
