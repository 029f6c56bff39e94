import { describe, expect, it } from 'vitest';
import { DepsIndex } from '../../../shared/deps';
import type { BinaryPackageRecord, SourcePackageRecord } from '../../../shared/deps';
import { plan } from '../../../shared/planner';
import { dependencyViewOf, formatDependency } from '../../../shared/planner/deps-view';
import { emptyState, model, now, policy, tagged } from '../../../testing/fakes/planner';

const binary = (
  name: string,
  src: string,
  provides: BinaryPackageRecord['provides'],
): BinaryPackageRecord => ({
  name,
  arch: 'x86_64',
  epoch: '0',
  version: '1.0',
  release: '1.fc43',
  sourceRpm: `${src}-1.0-1.fc43.src.rpm`,
  provides: [{ name, flags: 'EQ', epoch: '0', ver: '1.0', rel: '1.fc43' }, ...provides],
  files: [],
});
const source = (name: string, buildRequires: SourcePackageRecord['buildRequires']): SourcePackageRecord => ({
  name,
  epoch: '0',
  version: '1.0',
  release: '1.fc43',
  buildRequires,
});

/** libfoo ← app (BuildRequires libfoo-devel >= 1.0) ← tool (BuildRequires app); unrelated is left alone. */
function index(): DepsIndex {
  const deps = new DepsIndex();
  deps.addBinary(binary('libfoo', 'libfoo', [{ name: 'libfoo.so.2()(64bit)' }]));
  deps.addBinary(binary('libfoo-devel', 'libfoo', []));
  deps.addBinary(binary('app', 'app', []));
  deps.addBinary(binary('tool', 'tool', []));
  deps.addBinary(binary('unrelated', 'unrelated', []));
  deps.addSource(source('libfoo', []));
  deps.addSource(source('app', [{ name: 'libfoo-devel', flags: 'GE', epoch: '0', ver: '1.0' }]));
  deps.addSource(source('tool', [{ name: 'app' }]));
  deps.addSource(source('unrelated', [{ name: 'zlib-devel' }]));
  return deps;
}

describe('the dependency index through the planner port', () => {
  it('names the BuildRequire each reverse dependent resolves to the changed source', () => {
    const view = dependencyViewOf(index());
    expect(view.reverseBuildDependents('libfoo')).toEqual([
      { source: 'app', buildRequire: 'libfoo-devel >= 1.0' },
    ]);
    expect(view.sourceOfBinary('libfoo-devel')).toBe('libfoo');
    expect(view.providesOf('libfoo')).toContain('libfoo.so.2()(64bit)');
    expect(formatDependency({ name: 'x', flags: 'EQ', epoch: '1', ver: '2', rel: '3' })).toBe('x = 1:2-3');
  });

  it('plans a soname change of libfoo with its dependents in waves, from the real index', () => {
    const m = model({ name: 'libfoo' }, { name: 'app' }, { name: 'tool' }, { name: 'unrelated' });
    const state = {
      ...emptyState,
      components: { libfoo: { lock: { messageId: 'old', provides: ['libfoo.so.1()(64bit)'] } } },
    };
    const result = plan([tagged('libfoo')], m, dependencyViewOf(index()), state, policy, now);
    expect(result.planned.map((p) => [p.component, p.wave])).toEqual([
      ['libfoo', 0],
      ['app', 1],
      ['tool', 2],
    ]);
  });
});
