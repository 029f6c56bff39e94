import { describe, expect, it } from 'vitest';
import { OVERLAY_TYPES } from '../../../shared/distro/schema/overlay';
import type { OverlayType } from '../../../shared/overlays';
import { validateOverlay } from '../../../shared/overlays/validate';

// azldev's load-time rules (internal/projectconfig/overlay.go, `ComponentOverlay.Validate`), one table per
// rule, each case written from the rule rather than from this engine's output.

/** The smallest overlay of each type that azldev accepts. */
const minimal: Record<OverlayType, Record<string, unknown>> = {
  'spec-add-tag': { tag: 'Provides', value: 'foo' },
  'spec-insert-tag': { tag: 'Source9999', value: 'x.macros' },
  'spec-set-tag': { tag: 'Release', value: '2%{?dist}' },
  'spec-update-tag': { tag: 'Version', value: '1.2' },
  'spec-remove-tag': { tag: 'BuildRequires' },
  'spec-prepend-lines': { lines: ['# hi'] },
  'spec-append-lines': { lines: ['# bye'] },
  'spec-search-replace': { regex: 'foo' },
  'spec-remove-section': { section: '%check' },
  'spec-remove-subpackage': { package: 'devel' },
  'patch-add': { source: 'fix.patch' },
  'patch-remove': { file: '*.patch' },
  'file-prepend-lines': { file: 'x.conf', lines: ['# hi'] },
  'file-search-replace': { file: 'x.conf', regex: 'a' },
  'file-add': { file: 'x.conf', source: 'files/x.conf' },
  'file-remove': { file: 'x.conf' },
  'file-rename': { file: 'x.conf', replacement: 'y.conf' },
};
const overlay = (type: OverlayType, fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  type,
  description: 'why',
  ...minimal[type],
  ...fields,
});
const without = (type: OverlayType, field: string) => {
  const rest = overlay(type);
  delete rest[field];
  return rest;
};
const problemOf = (raw: unknown) => {
  const result = validateOverlay(raw);
  return result.ok ? undefined : result.problem;
};

describe('validateOverlay', () => {
  it('covers every overlay type the loader knows', () => {
    expect(Object.keys(minimal).sort()).toEqual([...OVERLAY_TYPES].sort());
  });

  it.each(OVERLAY_TYPES)('accepts a minimal %s', (type) => {
    expect(problemOf(overlay(type))).toBeUndefined();
  });

  const required: [OverlayType, string][] = [
    ['spec-add-tag', 'tag'],
    ['spec-add-tag', 'value'],
    ['spec-insert-tag', 'tag'],
    ['spec-insert-tag', 'value'],
    ['spec-set-tag', 'tag'],
    ['spec-set-tag', 'value'],
    ['spec-update-tag', 'tag'],
    ['spec-update-tag', 'value'],
    ['spec-remove-tag', 'tag'],
    ['spec-prepend-lines', 'lines'],
    ['spec-append-lines', 'lines'],
    ['spec-search-replace', 'regex'],
    ['spec-remove-section', 'section'],
    ['spec-remove-subpackage', 'package'],
    ['patch-add', 'source'],
    ['patch-remove', 'file'],
    ['file-prepend-lines', 'file'],
    ['file-prepend-lines', 'lines'],
    ['file-search-replace', 'file'],
    ['file-search-replace', 'regex'],
    ['file-add', 'file'],
    ['file-add', 'source'],
    ['file-remove', 'file'],
    ['file-rename', 'file'],
    ['file-rename', 'replacement'],
  ];
  it.each(required)('%s requires %s', (type, field) => {
    expect(problemOf(without(type, field))).toEqual({
      field,
      message: `overlay type \`${type}\` requires \`${field}\` field`,
    });
  });

  it.each(required)('%s: an empty %s counts as missing, as in azldev', (type, field) => {
    const empty = field === 'lines' ? [] : '';
    expect(problemOf(overlay(type, { [field]: empty }))?.message).toBe(
      `overlay type \`${type}\` requires \`${field}\` field`,
    );
  });

  it.each([
    ['spec-remove-tag', 'value'],
    ['spec-prepend-lines', 'section'],
    ['spec-search-replace', 'replacement'],
    ['patch-add', 'file'],
    ['patch-add', 'package'],
    ['file-search-replace', 'replacement'],
  ] as [OverlayType, string][])('%s leaves %s optional', (type, field) => {
    expect(problemOf(without(type, field))).toBeUndefined();
  });

  it.each([
    ['spec-remove-subpackage', { section: '%files' }, 'section'],
    ['spec-add-tag', { section: '%files' }, 'section'],
    ['spec-remove-section', { lines: ['x'] }, 'lines'],
    ['file-add', { package: 'devel' }, 'package'],
    ['file-remove', { package: 'devel' }, 'package'],
    ['file-rename', { package: 'devel' }, 'package'],
    ['file-prepend-lines', { package: 'devel' }, 'package'],
    ['file-search-replace', { section: '%prep' }, 'section'],
    ['patch-remove', { package: 'devel' }, 'package'],
    ['spec-search-replace', { file: 'x' }, 'file'],
  ] as [OverlayType, Record<string, unknown>, string][])('%s does not accept %j', (type, fields, field) => {
    expect(problemOf(overlay(type, fields))).toEqual({
      field,
      message: `overlay type \`${type}\` does not accept \`${field}\` field`,
    });
  });

  it.each(['spec-prepend-lines', 'spec-append-lines', 'spec-search-replace'] as OverlayType[])(
    '%s refuses package without section, and takes it with one',
    (type) => {
      expect(problemOf(overlay(type, { package: 'devel' }))).toEqual({
        field: 'package',
        message: `overlay type \`${type}\` requires \`section\` field when \`package\` is set`,
      });
      expect(problemOf(overlay(type, { package: 'devel', section: '%files' }))).toBeUndefined();
    },
  );

  it.each([
    ['file-prepend-lines', 'file'],
    ['file-search-replace', 'file'],
    ['file-add', 'file'],
    ['file-remove', 'file'],
    ['file-rename', 'file'],
    ['patch-remove', 'file'],
    ['patch-add', 'file'],
  ] as [OverlayType, string][])('%s requires a relative %s', (type, field) => {
    expect(problemOf(overlay(type, { [field]: '/etc/passwd' }))).toEqual({
      field,
      message: `overlay type \`${type}\` requires \`${field}\` to be a relative path; found \`/etc/passwd\``,
    });
    expect(problemOf(overlay(type, { [field]: 'sub/dir/x.conf' }))).toBeUndefined();
  });

  it.each(['dir/y.conf', '.', '..'])('file-rename wants a bare replacement filename, not %j', (name) => {
    expect(problemOf(overlay('file-rename', { replacement: name }))).toEqual({
      field: 'replacement',
      message: `overlay type \`file-rename\` requires \`replacement\` to be a filename only (not a path); found \`${name}\``,
    });
  });

  describe('globs of patch-remove and file-remove (doublestar ValidatePattern)', () => {
    const bad = ['[', 'a[]', '[]]', 'a[!]', 'x{a,b', 'x}', 'trailing\\', '[abc'];
    const good = [
      '*.patch',
      '**/0001-*.patch',
      '{a,b}.patch',
      '[!a]x',
      '[a]]',
      'a\\*b',
      'run-vmblock\\x2dfuse.mount',
    ];
    it.each((['patch-remove', 'file-remove'] as OverlayType[]).flatMap((t) => bad.map((g) => [t, g])))(
      '%s refuses %j',
      (type, pattern) => {
        expect(problemOf(overlay(type as OverlayType, { file: pattern }))).toEqual({
          field: 'file',
          message: `invalid glob pattern \`${pattern}\``,
        });
      },
    );
    it.each((['patch-remove', 'file-remove'] as OverlayType[]).flatMap((t) => good.map((g) => [t, g])))(
      '%s accepts %j',
      (type, pattern) => {
        expect(problemOf(overlay(type as OverlayType, { file: pattern }))).toBeUndefined();
      },
    );
  });

  it.each(['spec-search-replace', 'file-search-replace'] as OverlayType[])(
    '%s refuses a regex that does not compile',
    (type) => {
      const problem = problemOf(overlay(type, { regex: 'a(b' }));
      expect(problem?.field).toBe('regex');
      expect(problem?.message).toMatch(/^invalid regex `a\(b`: /);
    },
  );

  describe('archive scoping', () => {
    const scoped: OverlayType[] = ['file-remove', 'file-search-replace'];
    it.each(
      scoped.flatMap((t) =>
        [
          'pkg-1.0.tar.gz',
          'pkg.tgz',
          'pkg.tar.xz',
          'pkg.txz',
          'pkg.tar.zst',
          'pkg.tzst',
          'pkg.tar',
          'PKG.TAR.GZ',
        ].map((a) => [t, a]),
      ),
    )('%s may edit inside %s', (type, name) => {
      expect(problemOf(overlay(type as OverlayType, { archive: name }))).toBeUndefined();
    });
    it.each(OVERLAY_TYPES.filter((t) => !scoped.includes(t)))('%s does not accept archive', (type) => {
      expect(problemOf(overlay(type, { archive: 'pkg-1.0.tar.gz' }))).toEqual({
        field: 'archive',
        message: `overlay type \`${type}\` does not accept \`archive\` field`,
      });
    });
    it('wants a bare filename', () => {
      expect(problemOf(overlay('file-remove', { archive: 'sub/pkg.tar.gz' }))).toEqual({
        field: 'archive',
        message:
          'overlay type `file-remove` requires `archive` to be a filename only (not a path); found `sub/pkg.tar.gz`',
      });
    });
    it.each(['pkg.zip', 'pkg.tar.bz2', 'pkg.gz', 'pkg-1.0'])(
      'refuses %s, which azldev cannot unpack',
      (name) => {
        expect(problemOf(overlay('file-search-replace', { archive: name }))).toEqual({
          field: 'archive',
          message: `unsupported archive format \`${name}\``,
        });
      },
    );
    it('takes archive-root only with archive, and only a local relative path', () => {
      expect(
        problemOf(overlay('file-remove', { archive: 'a.tgz', 'archive-root': 'pkg-1.0/src' })),
      ).toBeUndefined();
      expect(problemOf(overlay('file-remove', { 'archive-root': 'pkg-1.0' }))).toEqual({
        field: 'archive-root',
        message: 'overlay type `file-remove` does not accept `archive-root` field',
      });
      for (const root of ['../up', '/abs', 'a/../../b']) {
        expect(problemOf(overlay('file-search-replace', { archive: 'a.tgz', 'archive-root': root }))).toEqual(
          {
            field: 'archive-root',
            message: `overlay type \`file-search-replace\` requires \`archive-root\` to be a local relative path (no \`..\` or absolute paths); found \`${root}\``,
          },
        );
      }
    });
  });

  describe('metadata (azldev OverlayMetadata.Validate)', () => {
    const backport = {
      category: 'upstream-backport',
      commits: [{ url: 'https://src.example/c/1' }],
      'upstream-status': 'upstreamed',
    };
    it('accepts complete metadata', () => {
      expect(problemOf(overlay('spec-add-tag', { metadata: backport }))).toBeUndefined();
      expect(
        problemOf(
          overlay('spec-add-tag', {
            metadata: { category: 'azl-pruning', 'upstream-status': 'inapplicable' },
          }),
        ),
      ).toBeUndefined();
    });
    it.each([
      [{ 'upstream-status': 'unknown' }, 'metadata.category', "'metadata' requires 'category'"],
      [
        { category: 'misc', 'upstream-status': 'unknown' },
        'metadata.category',
        'unknown overlay category `misc`',
      ],
      [
        { ...backport, commits: [] },
        'metadata.commits',
        "overlay category `upstream-backport` requires at least one entry in 'commits'",
      ],
      [{ category: 'azl-pruning' }, 'metadata.upstream-status', "'metadata' requires 'upstream-status'"],
      [
        { category: 'azl-pruning', 'upstream-status': 'maybe' },
        'metadata.upstream-status',
        'unknown overlay upstream-status `maybe`',
      ],
      [
        { ...backport, 'upstream-status': 'unknown' },
        'metadata.upstream-status',
        expect.stringContaining("'upstream-status' value `unknown` is contradictory"),
      ],
      [{ ...backport, commits: [{ url: 'ftp://x/y' }] }, 'metadata.commits.0.url', 'must be an http(s) URL'],
    ])('refuses %j', (metadata, field, message) => {
      expect(problemOf(overlay('spec-remove-tag', { metadata }))).toEqual({ field, message });
    });
  });

  it('reports a field of the wrong TOML type as such, not as missing', () => {
    expect(problemOf(overlay('spec-add-tag', { tag: 5 }))).toEqual({
      field: 'tag',
      message: '`tag` must be a string',
    });
    expect(problemOf(overlay('spec-append-lines', { lines: ['ok', 3] }))).toEqual({
      field: 'lines.1',
      message: '`lines.1` must be a string',
    });
  });

  it('names an unknown or missing type', () => {
    expect(problemOf({ type: 'spec-frobnicate' })).toEqual({
      field: 'type',
      message: 'unknown overlay type `spec-frobnicate`',
    });
    expect(problemOf({ tag: 'x' })).toEqual({ field: 'type', message: 'an overlay needs a type' });
  });

  it('reports archive scoping before the type fields, and metadata after them, as azldev checks', () => {
    expect(problemOf({ type: 'file-add', archive: 'a.tgz', lines: ['x'] })).toEqual({
      field: 'archive',
      message: 'overlay type `file-add` does not accept `archive` field',
    });
    expect(problemOf({ type: 'file-remove', archive: 'a/b.tgz' })?.field).toBe('archive');
    expect(problemOf({ type: 'spec-add-tag', tag: 'x', metadata: {} })).toEqual({
      field: 'value',
      message: 'overlay type `spec-add-tag` requires `value` field',
    });
  });

  it('reports a missing required field before a field the type does not take', () => {
    expect(problemOf({ type: 'spec-add-tag', value: 'x', file: 'y' })).toEqual({
      field: 'tag',
      message: 'overlay type `spec-add-tag` requires `tag` field',
    });
  });
});
