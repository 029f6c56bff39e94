import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Overlay } from '../../../shared/overlays';
import { renderComponent } from '../../../shared/overlays';
import type { FileBytes, FileContent } from '../../../shared/overlays/tree';
import { bytesFile, decodeText } from '../../../shared/overlays/tree';
import { fixturePath } from '../../../testing/fixtures/fixture-path';
import { thrownPipelineError } from '../../../testing/failures';

const keyring = readFileSync(fixturePath('binary-files', 'debian-archive-bookworm-stable.gpg'));
const png = readFileSync(fixturePath('binary-files', 'favicon-32x32.png'));
const tarball = gzipSync(Buffer.from('pkg-1.0/README\0'.padEnd(1024, '\0')));

const SPEC = 'Name: pkg\nVersion: 1.0\nSource0: pkg-1.0.tar.gz\nSource1: keyring.gpg\n\n%description\npkg.\n';

/** Bytes that count their reads, to show the render leaves files no overlay edits unread. */
function counted(bytes: Uint8Array): FileBytes & { reads: number } {
  return {
    reads: 0,
    read() {
      this.reads += 1;
      return bytes;
    },
  };
}

function tree() {
  const files = {
    keyring: counted(keyring),
    png: counted(png),
    tarball: counted(tarball),
  };
  const map = new Map<string, FileContent>([
    ['pkg.spec', SPEC],
    ['keyring.gpg', files.keyring],
    ['icons/pkg.png', files.png],
    ['pkg-1.0.tar.gz', files.tarball],
    ['pkg.conf', bytesFile(Buffer.from('vendor=redhat\n'))],
  ]);
  return { files, map };
}

const render = (overlays: Overlay[], files = tree().map, overlayFiles = new Map<string, FileContent>()) =>
  renderComponent({ component: 'pkg', tree: { files, overlayFiles }, overlays });

/** The overlay.binary-file refusal the render throws. */
const refused = (run: () => unknown) => thrownPipelineError(run, 'overlay.binary-file');

describe('binary files through the render', () => {
  it('passes every file no overlay edits through as the same bytes, unread', () => {
    const { files, map } = tree();
    const out = render(
      [{ type: 'file-search-replace', file: 'pkg.conf', regex: 'redhat', replacement: 'azl' }],
      map,
    );
    expect(out.files.get('keyring.gpg')).toBe(files.keyring);
    expect(out.files.get('icons/pkg.png')).toBe(files.png);
    expect(out.files.get('pkg-1.0.tar.gz')).toBe(files.tarball);
    expect([files.keyring.reads, files.png.reads, files.tarball.reads]).toEqual([0, 0, 0]);
    expect(out.files.get('pkg.conf')).toBe('vendor=azl\n');
  });

  it('refuses file-search-replace aimed at a binary file, naming component, overlay index and file', () => {
    const error = refused(() =>
      render([
        { type: 'spec-set-tag', tag: 'Version', value: '1.1' },
        {
          type: 'file-search-replace',
          description: 'rekey',
          file: 'keyring.gpg',
          regex: 'x',
          replacement: 'y',
        },
      ]),
    );
    expect(error.code).toBe('overlay.binary-file');
    expect(error.context).toMatchObject({
      component: 'pkg',
      overlayIndex: 1,
      overlayType: 'file-search-replace',
      file: 'keyring.gpg',
    });
    expect(error.message).toContain('component pkg: overlay #1 (file-search-replace "rekey")');
    expect(error.message).toContain('"keyring.gpg" is not text');
  });

  it('refuses file-prepend-lines when any file its pattern matches is binary', () => {
    const literal = refused(() =>
      render([{ type: 'file-prepend-lines', file: 'icons/pkg.png', lines: ['#'] }]),
    );
    expect(literal.context).toMatchObject({ overlayIndex: 0, file: 'icons/pkg.png' });
    const glob = refused(() => render([{ type: 'file-prepend-lines', file: '*', lines: ['# azl'] }]));
    expect(glob.code).toBe('overlay.binary-file');
    expect(glob.context['file']).toBe('keyring.gpg');
  });

  it('file-search-replace over a glob edits the text files and leaves the binary ones byte for byte', () => {
    const { files, map } = tree();
    const out = render(
      [{ type: 'file-search-replace', file: '**/*', regex: 'redhat', replacement: 'azl' }],
      map,
    );
    expect(out.files.get('pkg.conf')).toBe('vendor=azl\n');
    expect(out.files.get('keyring.gpg')).toBe(files.keyring);
    expect(out.files.get('pkg-1.0.tar.gz')).toBe(files.tarball);
    const onlyBinary = refused(() =>
      render([{ type: 'file-search-replace', file: '*.gz', regex: 'pkg', replacement: 'x' }]),
    );
    expect(onlyBinary.code).toBe('overlay.binary-file');
    expect(onlyBinary.context['file']).toBe('pkg-1.0.tar.gz');
  });

  it('file-rename, file-remove and file-add move, drop and copy bytes as they are', () => {
    const { files, map } = tree();
    const added = counted(png);
    const out = render(
      [
        { type: 'file-rename', file: 'keyring.gpg', replacement: 'fedora.gpg' },
        { type: 'file-remove', file: 'icons/*.png' },
        { type: 'file-add', source: 'azl.png', file: 'icons/azl.png' },
      ],
      map,
      new Map([['azl.png', added]]),
    );
    expect(out.files.get('fedora.gpg')).toBe(files.keyring);
    expect(out.files.has('keyring.gpg')).toBe(false);
    expect(out.files.has('icons/pkg.png')).toBe(false);
    expect(out.files.get('icons/azl.png')).toBe(added);
    expect([files.keyring.reads, files.png.reads, added.reads]).toEqual([0, 0, 0]);
  });

  it('decodes a UTF-8 file an overlay edits, keeping its byte-order mark', () => {
    const files = tree().map;
    files.set('README', bytesFile(Buffer.from('\uFEFFredhat ✓\n', 'utf8')));
    const out = render(
      [{ type: 'file-search-replace', file: 'README', regex: 'redhat', replacement: 'azl' }],
      files,
    );
    expect(Buffer.from(out.files.get('README') as string, 'utf8')).toEqual(
      Buffer.from('\uFEFFazl ✓\n', 'utf8'),
    );
  });

  it('refuses a spec that is not UTF-8 (Latin-1) at the first edit, naming it', () => {
    const files = tree().map;
    files.set('pkg.spec', bytesFile(Buffer.from(`${SPEC}%changelog\n* Jos\xe9\n`, 'latin1')));
    const error = refused(() => render([], files));
    expect(error.code).toBe('overlay.binary-file');
    expect(error.context).toMatchObject({ overlayIndex: null, file: 'pkg.spec' });
  });

  it('counts as text only valid UTF-8 without NUL bytes', () => {
    expect(decodeText(bytesFile(Buffer.from('plain ✓\n')))).toBe('plain ✓\n');
    expect(decodeText(bytesFile(keyring))).toBeUndefined();
    expect(decodeText(bytesFile(png))).toBeUndefined();
    expect(decodeText(bytesFile(Buffer.from('a\0b')))).toBeUndefined();
    expect(decodeText(bytesFile(Buffer.from([0x61, 0xc3])))).toBeUndefined();
  });
});
