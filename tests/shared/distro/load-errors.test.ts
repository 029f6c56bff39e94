import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { DISTROS, loadTree, writeTree } from '../../../testing/fixtures/distro-tree';
import { thrown } from '../../../testing/failures';

const codeOf = (error: unknown): string =>
  PipelineError.is(error) ? error.code : `not a PipelineError: ${String(error)}`;

describe('loading a broken tree', () => {
  it('rejects a component defined in two files, naming both', () => {
    const dir = writeTree({
      'azldev.toml': `includes = ["comps/*.toml"]\n${DISTROS}`,
      'comps/a.toml': '[components.bash]\n',
      'comps/b.toml': '[components.zsh]\n[components.bash]\n',
    });
    const error = thrown(() => loadTree(dir)) as PipelineError;
    expect(codeOf(error)).toBe('distro.duplicate-component');
    expect(error.context).toMatchObject({
      component: 'bash',
      file: join(dir, 'comps/b.toml'),
      firstFile: join(dir, 'comps/a.toml'),
    });
    expect(error.context.line).toBe(2);
    expect(error.message).toBe(
      `${join(dir, 'comps/b.toml')}:2: duplicate component: bash (first defined in ${join(dir, 'comps/a.toml')})`,
    );
  });

  it('rejects an include cycle', () => {
    const dir = writeTree({
      'azldev.toml': `includes = ["a.toml"]\n${DISTROS}`,
      'a.toml': 'includes = ["sub/b.toml"]\n',
      'sub/b.toml': 'includes = ["../a.toml"]\n',
    });
    const error = thrown(() => loadTree(dir)) as PipelineError;
    expect(codeOf(error)).toBe('distro.include-cycle');
    expect(error.context).toMatchObject({
      file: join(dir, 'sub/b.toml'),
      included: join(dir, 'a.toml'),
      line: 1,
    });
    expect(error.message).toContain('circular include');
  });

  it('follows includes in doublestar walk order (segment by segment)', () => {
    const dir = writeTree({
      'azldev.toml': `includes = ["c/**/*.toml"]\n${DISTROS}`,
      'c/x-y/a.toml': '',
      'c/x/b.toml': '',
      'c/X.toml': '',
    });
    expect(loadTree(dir).files.map((f) => f.slice(dir.length + 1))).toEqual([
      'azldev.toml',
      'c/X.toml',
      'c/x/b.toml',
      'c/x-y/a.toml',
    ]);
  });

  it('rejects a file reached twice through two patterns (a diamond)', () => {
    const dir = writeTree({ 'azldev.toml': `includes = ["x.toml", "*.toml"]\n${DISTROS}`, 'x.toml': '' });
    expect(codeOf(thrown(() => loadTree(dir)))).toBe('distro.include-cycle');
  });

  it('rejects an unknown key with its file, dotted field and line', () => {
    const dir = writeTree({
      'azldev.toml': `includes = ["c.toml"]\n${DISTROS}`,
      'c.toml': '[components.bash]\n\n[components.bash.build]\nwithout = ["x"]\nwithhout = ["y"]\n',
    });
    const error = thrown(() => loadTree(dir)) as PipelineError;
    expect(codeOf(error)).toBe('distro.unknown-key');
    expect(error.context).toMatchObject({
      file: join(dir, 'c.toml'),
      field: 'components.bash.build.withhout',
      line: 5,
    });
    expect(error.message).toBe(`${join(dir, 'c.toml')}:5: unknown key "withhout" in components.bash.build`);
  });

  it('rejects an unknown top-level section', () => {
    const dir = writeTree({ 'azldev.toml': `${DISTROS}\n[packages.x]\n` });
    const error = thrown(() => loadTree(dir)) as PipelineError;
    expect(codeOf(error)).toBe('distro.unknown-key');
    expect(error.context).toMatchObject({ field: 'packages' });
  });

  it('rejects a literal include that does not exist, but not an empty glob', () => {
    const missing = writeTree({ 'azldev.toml': `includes = ["nope.toml"]\n${DISTROS}` });
    const error = thrown(() => loadTree(missing)) as PipelineError;
    expect(codeOf(error)).toBe('distro.missing-include');
    expect(error.context).toMatchObject({
      file: join(missing, 'azldev.toml'),
      include: 'nope.toml',
      line: 1,
    });
    expect(error.message).toContain('failed to find include file "nope.toml"');
    const empty = writeTree({ 'azldev.toml': `includes = ["none/**/*.toml"]\n${DISTROS}` });
    expect(loadTree(empty).files).toHaveLength(1);
  });

  it('rejects an overlay of unknown type or with a non-table shape', () => {
    const dir = writeTree({
      'azldev.toml': `includes = ["c.toml"]\n${DISTROS}`,
      'c.toml':
        '[components.rpm]\n[[components.rpm.overlays]]\ntype = "spec-add-tag"\ntag = "A"\nvalue = "b"\n[[components.rpm.overlays]]\ntype = "spec-frobnicate"\n',
    });
    const error = thrown(() => loadTree(dir)) as PipelineError;
    expect(codeOf(error)).toBe('distro.invalid');
    expect(error.context).toMatchObject({
      file: join(dir, 'c.toml'),
      field: 'components.rpm.overlays.1.type',
    });
    const inline = writeTree({
      'azldev.toml': `${DISTROS}\n[components.rpm]\noverlays = ["spec-add-tag"]\n`,
    });
    const shape = thrown(() => loadTree(inline)) as PipelineError;
    expect(codeOf(shape)).toBe('distro.invalid');
    expect(shape.context).toMatchObject({ field: 'components.rpm.overlays.0' });
  });

  it('reports TOML syntax errors with line and column', () => {
    const dir = writeTree({ 'azldev.toml': `${DISTROS}\n[components.a]\nspec = { type = \n` });
    const error = thrown(() => loadTree(dir)) as PipelineError;
    expect(codeOf(error)).toBe('distro.toml-syntax');
    expect(error.context).toMatchObject({ file: join(dir, 'azldev.toml') });
    expect(error.context.line).toBeGreaterThan(20);
    expect(typeof error.context.column).toBe('number');
  });

  it('rejects a group member that is not a component, and a per-component snapshot', () => {
    const group = writeTree({ 'azldev.toml': `${DISTROS}\n[component-groups.g]\ncomponents = ["ghost"]\n` });
    expect(codeOf(thrown(() => loadTree(group)))).toBe('distro.unknown-group-member');
    const snap = writeTree({
      'azldev.toml': `${DISTROS}\n[components.a]\nspec = { upstream-distro = { name = "fedora", snapshot = "2026-01-01T00:00:00Z" } }\n`,
    });
    expect(codeOf(thrown(() => loadTree(snap)))).toBe('distro.invalid');
  });

  it('rejects skipping checks without a reason, naming the field and line', () => {
    const dir = writeTree({
      'azldev.toml': `includes = ["c.toml"]\n${DISTROS}`,
      'c.toml': '[components.a]\n[components.a.build]\ncheck = { skip = true }\n',
    });
    const error = thrown(() => loadTree(dir)) as PipelineError;
    expect(codeOf(error)).toBe('distro.invalid');
    expect(error.context).toMatchObject({ field: 'components.a.build.check.skip_reason', line: 3 });
    expect(error.message).toContain('check.skip needs a skip_reason');
  });

  it('rejects a directory without azldev.toml', () => {
    expect(codeOf(thrown(() => loadTree(writeTree({ 'other.toml': '' }))))).toBe('distro.missing-root');
  });
});
