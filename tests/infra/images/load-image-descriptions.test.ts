import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { loadImageDescription, loadImageDescriptions } from '../../../infra/images/load-image-descriptions';
import { loadDistroTree } from '../../../shared/distro/load';
import { resolveImageDefinition } from '../../../shared/images/resolve-definition';
import { fixturePath } from '../../../testing/fixtures/fixture-path';
import { failure } from '../../../testing/failures';
import { tempCopyOf } from '../../../testing/temp-dirs';

const IMAGES = join('base', 'images');

describe('loading the kiwi descriptions of a tree', () => {
  it("reads every image's description, a shared file once", async () => {
    const tree = loadDistroTree(new FsDistroFiles(), fixturePath('azurelinux'));
    const loaded = await loadImageDescriptions(tree);
    expect(loaded.map((l) => [l.entry.name, l.description.name])).toEqual([
      ['container-base', 'azl4-container-base'],
      ['container-distroless-base', 'azl4-container-base'],
      ['container-distroless-debug', 'azl4-container-base'],
      ['container-distroless-minimal', 'azl4-container-base'],
      ['vm-base', 'azl4-vm-base'],
    ]);
    const containers = loaded.filter((l) => l.entry.name.startsWith('container-'));
    expect(new Set(containers.map((l) => l.description)).size).toBe(1);
    const vm = loaded.find((l) => l.entry.name === 'vm-base');
    expect(vm && resolveImageDefinition(vm.entry, vm.description, 'x86_64').disk?.hyperVGeneration).toBe(
      'V2',
    );
  });

  it('names the file and the image when a description is missing', async () => {
    const root = tempCopyOf(fixturePath('azurelinux'));
    const missing = join(root, IMAGES, 'vm-base', 'vm-base.kiwi');
    rmSync(missing);
    const tree = loadDistroTree(new FsDistroFiles(), root);
    const error = await failure(loadImageDescriptions(tree));
    expect(error.code).toBe('image.definition-unreadable');
    expect(error.context).toEqual({ file: missing, image: 'vm-base', reason: 'ENOENT' });
    expect(error.message).toBe(`${missing}: the kiwi description of image 'vm-base': no such file`);
    // The other images still load one by one.
    expect((await loadImageDescription(tree, 'container-base')).description.profiles).toHaveLength(4);
  });

  it('names the file when it cannot be read, and passes parse errors through', async () => {
    const root = tempCopyOf(fixturePath('azurelinux'));
    const unreadable = join(root, IMAGES, 'vm-base', 'vm-base.kiwi');
    rmSync(unreadable);
    mkdirSync(unreadable);
    const tree = loadDistroTree(new FsDistroFiles(), root);
    const error = await failure(loadImageDescription(tree, 'vm-base'));
    expect(error.code).toBe('image.definition-unreadable');
    expect(error.context).toMatchObject({ file: unreadable, image: 'vm-base', reason: 'EISDIR' });
    expect((await failure(loadImageDescription(tree, 'no-such-image'))).code).toBe('image.unknown-image');
    const broken = join(root, IMAGES, 'container-base', 'container-base.kiwi');
    writeFileSync(broken, '<image name="x">');
    const parse = await failure(loadImageDescription(tree, 'container-base'));
    expect(parse.code).toBe('image.invalid-definition');
    expect(parse.context.file).toBe(broken);
  });
});
