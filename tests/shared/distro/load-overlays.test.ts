import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { DISTROS, loadTree, writeTree } from '../../../testing/fixtures/distro-tree';
import { thrown } from '../../../testing/failures';

// Overlays are validated when the tree loads (azldev `ComponentOverlay.Validate`), so every consumer of the
// loader (config check/show, the planner's model, the build worker) refuses a bad overlay with its location.

const refusal = (files: Record<string, string>): { dir: string; error: PipelineError } => {
  const dir = writeTree({ 'azldev.toml': `includes = ["comps/*.toml"]\n${DISTROS}`, ...files });
  const error = thrown(() => loadTree(dir));
  if (!PipelineError.is(error)) throw new Error(`expected a PipelineError, got ${String(error)}`);
  return { dir, error };
};

describe('loading a tree with an invalid overlay', () => {
  it('names the file, line, component, overlay index and description, and the field', () => {
    const { dir, error } = refusal({
      'comps/curl.comp.toml': [
        '[components.curl]',
        '',
        '[[components.curl.overlays]]',
        'description = "Drop the docs"',
        'type = "spec-remove-section"',
        'section = "%doc"',
        '',
        '[[components.curl.overlays]]',
        'description = "Brand it"',
        'type = "spec-set-tag"',
        'tag = "Vendor"',
        '',
      ].join('\n'),
    });
    const file = join(dir, 'comps/curl.comp.toml');
    expect(error.code).toBe('distro.invalid-overlay');
    expect(error.message).toBe(
      `${file}:8: component curl: overlay 1 (Brand it): overlay type \`spec-set-tag\` requires \`value\` field`,
    );
    expect(error.context).toEqual({
      file,
      line: 8,
      component: 'curl',
      overlayIndex: 1,
      description: 'Brand it',
      field: 'components.curl.overlays.1.value',
    });
  });

  it('points at the offending field line when the overlay has it', () => {
    const { dir, error } = refusal({
      'comps/a.comp.toml': [
        '[[components.a.overlays]]',
        'type = "file-remove"',
        'file = "/etc/shadow"',
        '',
      ].join('\n'),
    });
    expect(error.message).toBe(
      `${join(dir, 'comps/a.comp.toml')}:3: component a: overlay 0 (no description): ` +
        'overlay type `file-remove` requires `file` to be a relative path; found `/etc/shadow`',
    );
    expect(error.context).toMatchObject({ line: 3, field: 'components.a.overlays.0.file', overlayIndex: 0 });
    expect(error.context).not.toHaveProperty('description');
  });

  it('locates an overlay of an inline array by its overlays key', () => {
    const { error } = refusal({
      'comps/b.comp.toml': [
        '[components.b]',
        'overlays = [',
        '  { type = "spec-remove-subpackage", package = "docs", section = "%files" },',
        ']',
        '',
      ].join('\n'),
    });
    expect(error.context).toMatchObject({
      component: 'b',
      line: 2,
      field: 'components.b.overlays.0.section',
    });
    expect(error.message).toContain('overlay type `spec-remove-subpackage` does not accept `section` field');
  });

  it('checks the overlays of defaults and component groups too, naming the table', () => {
    const group = refusal({
      'comps/groups.toml': [
        '[component-groups.tests]',
        'components = []',
        '[[component-groups.tests.default-component-config.overlays]]',
        'description = "Skip"',
        'type = "spec-prepend-lines"',
        'package = "devel"',
        'lines = ["exit 0"]',
        '',
      ].join('\n'),
    });
    expect(group.error.message).toBe(
      `${join(group.dir, 'comps/groups.toml')}:6: component-groups.tests.default-component-config: overlay 0 (Skip): ` +
        'overlay type `spec-prepend-lines` requires `section` field when `package` is set',
    );
    expect(group.error.context).not.toHaveProperty('component');

    const defaults = refusal({
      'comps/defaults.toml':
        '[[default-component-config.overlays]]\ntype = "patch-remove"\nfile = "x{.patch"\n',
    });
    expect(defaults.error.context).toMatchObject({
      field: 'default-component-config.overlays.0.file',
      line: 3,
    });
    expect(defaults.error.message).toContain('invalid glob pattern `x{.patch`');
  });

  it('refuses archive scoping on a type azldev does not allow it on', () => {
    const { error } = refusal({
      'comps/c.comp.toml':
        '[[components.c.overlays]]\ntype = "file-add"\nfile = "x"\nsource = "x"\narchive = "c-1.0.tar.gz"\n',
    });
    expect(error.context).toMatchObject({ field: 'components.c.overlays.0.archive', line: 5 });
    expect(error.message).toContain('overlay type `file-add` does not accept `archive` field');
  });

  it('loads a tree whose overlays are all valid, archive-scoped ones included', () => {
    const dir = writeTree({
      'azldev.toml': `includes = ["comps/*.toml"]\n${DISTROS}`,
      'comps/d.comp.toml': [
        '[[components.d.overlays]]',
        'type = "file-search-replace"',
        'archive = "d-1.0.tar.xz"',
        'file = "**/Makefile"',
        'regex = "-Werror"',
        '[components.d.overlays.metadata]',
        'category = "azl-compatibility"',
        'upstream-status = "upstreamable"',
        '',
      ].join('\n'),
    });
    expect(loadTree(dir).components.get('d')?.config.overlays).toHaveLength(1);
  });
});
