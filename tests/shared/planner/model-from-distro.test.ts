import { describe, expect, it } from 'vitest';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { loadDistroTree } from '../../../shared/distro/load';
import { modelFromDistroTree } from '../../../shared/planner';
import { fixturePath } from '../../../testing/fixtures/fixture-path';

const fixture = fixturePath('azurelinux');

describe('modelFromDistroTree on the Azure Linux fixture', () => {
  const files = new FsDistroFiles();
  const tree = loadDistroTree(files, fixture);
  const model = modelFromDistroTree(tree, files, {
    components: ['shim', 'rootlesskit', 'azurelinux-rpm-config'],
    rebuild: (name) => (name === 'shim' ? 'local' : 'transitive'),
  });

  it('reports the pin of a pinned component', () => {
    expect(model.components.get('shim')).toMatchObject({
      upstreamName: 'shim',
      branch: 'f43',
      pin: '7b08c421ed4dbca88af0cbaabb73332d08944c86',
      follows: 'pinned',
      rebuild: 'local',
    });
  });

  it('uses the upstream name and a fingerprint', () => {
    const config = model.components.get('azurelinux-rpm-config');
    expect(config?.upstreamName).toBe('redhat-rpm-config');
    expect(config?.pin).toBeUndefined();
    expect(config?.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(model.components.get('rootlesskit')?.pin).toBe('0cd7642732a9c9703729b5c8038f687d2640a2ac');
  });
});
