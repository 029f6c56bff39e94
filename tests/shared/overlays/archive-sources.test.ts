import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detectCompression } from '../../../shared/overlays/archive-compression';
import { rehashSourcesLine } from '../../../shared/overlays/sources-rehash';

const bytes = new TextEncoder().encode('repacked archive');
const sha512 = createHash('sha512').update(bytes).digest('hex');
const md5 = createHash('md5').update(bytes).digest('hex');
const oldSha512 = 'a'.repeat(128);

describe('re-hashing the sources line of a repacked archive', () => {
  it('replaces the hash of the archive’s line with one of the same type, leaving every other line', () => {
    const text = `SHA512 (pkg-1.0.tar.gz) = ${oldSha512}\nSHA512 (pkg-1.0.tar.gz.asc) = ${'b'.repeat(128)}\n`;
    expect(rehashSourcesLine(text, 'pkg-1.0.tar.gz', bytes)).toBe(
      `SHA512 (pkg-1.0.tar.gz) = ${sha512}\nSHA512 (pkg-1.0.tar.gz.asc) = ${'b'.repeat(128)}\n`,
    );
  });

  it('keeps the old two-column MD5 form, and CRLF line ends', () => {
    const text = `${'c'.repeat(32)}  other.tar.gz\r\n${'d'.repeat(32)}  pkg-1.0.tar.gz\r\n`;
    expect(rehashSourcesLine(text, 'pkg-1.0.tar.gz', bytes)).toBe(
      `${'c'.repeat(32)}  other.tar.gz\r\n${md5}  pkg-1.0.tar.gz\r\n`,
    );
  });

  it('leaves a sources file that does not name the archive as it is, and refuses a malformed one', () => {
    const text = `SHA512 (other.tar.gz) = ${oldSha512}\n`;
    expect(rehashSourcesLine(text, 'pkg-1.0.tar.gz', bytes)).toBe(text);
    expect(() => rehashSourcesLine('not a sources line\n', 'pkg-1.0.tar.gz', bytes)).toThrow(
      /not a sources line/,
    );
  });
});

describe('the compression of an archive', () => {
  const head = (...start: number[]): Uint8Array => {
    const buffer = new Uint8Array(512);
    buffer.set(start);
    return buffer;
  };
  it('is what its bytes start with, whatever the name says', () => {
    expect(detectCompression('a.tar', head(0x1f, 0x8b))).toBe('gzip');
    expect(detectCompression('a.tar.gz', head(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00))).toBe('xz');
    expect(detectCompression('a.tgz', head(0x28, 0xb5, 0x2f, 0xfd))).toBe('zstd');
    const tar = head();
    tar.set(new TextEncoder().encode('ustar'), 257);
    expect(detectCompression('a.tar.gz', tar)).toBe('none');
  });
  it('falls back to the name when the bytes say nothing', () => {
    expect(detectCompression('a.tar.zst', head())).toBe('zstd');
    expect(detectCompression('a.txz', head())).toBe('xz');
    expect(detectCompression('a.tar', head())).toBe('none');
  });
});
