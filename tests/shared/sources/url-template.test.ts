import { describe, expect, it } from 'vitest';
import { expandUrlTemplate } from '../../../shared/sources/url-template';
import { isLoopbackHost, validateFetchUrl } from '../../../shared/sources/url-policy';
import { PipelineError } from '../../../shared/errors';

const LOOKASIDE = 'https://src.fedoraproject.org/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename';

describe('expandUrlTemplate', () => {
  it('expands the Fedora lookaside template, $hashtype before $hash', () => {
    const url = expandUrlTemplate(LOOKASIDE, {
      pkg: 'gtk+',
      filename: 'a b.tar',
      hashtype: 'sha512',
      hash: 'ff',
    });
    expect(url).toBe('https://src.fedoraproject.org/repo/pkgs/gtk+/a%20b.tar/sha512/ff/a%20b.tar');
  });

  it('expands the dist-git template and never re-expands substituted values', () => {
    expect(expandUrlTemplate('https://src.fedoraproject.org/rpms/$pkg.git', { pkg: 'bash' })).toBe(
      'https://src.fedoraproject.org/rpms/bash.git',
    );
    const url = expandUrlTemplate('http://x/$filename', { pkg: 'p', filename: '$pkg' });
    expect(url).toBe('http://x/$pkg');
  });

  it('refuses a template that needs a value it was not given', () => {
    expect(() => expandUrlTemplate(LOOKASIDE, { pkg: 'bash' })).toThrow(PipelineError);
  });
});

describe('validateFetchUrl', () => {
  const refused = (url: string) => {
    try {
      validateFetchUrl(url, 'test');
      return undefined;
    } catch (error) {
      return PipelineError.is(error) ? error.code : 'other';
    }
  };

  it('accepts https anywhere and http/file only locally', () => {
    expect(refused('https://src.fedoraproject.org/rpms/bash.git')).toBeUndefined();
    expect(refused('http://127.0.0.1:8080/x')).toBeUndefined();
    expect(refused('http://[::1]:8080/x')).toBeUndefined();
    expect(refused('file:///tmp/repo.git')).toBeUndefined();
  });

  it('refuses other schemes, remote http and file hosts, and credentials', () => {
    expect(refused('http://example.org/x')).toBe('sources.invalid-url');
    expect(refused('file://example.org/etc/passwd')).toBe('sources.invalid-url');
    expect(refused('ext::sh -c touch% /tmp/pwned')).toBe('sources.invalid-url');
    expect(refused('ssh://git@example.org/x.git')).toBe('sources.invalid-url');
    expect(refused('https://user:pw@example.org/x')).toBe('sources.invalid-url');
    expect(refused('--upload-pack=evil')).toBe('sources.invalid-url');
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('127.example.org')).toBe(false);
  });
});
