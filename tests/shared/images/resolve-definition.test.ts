import { describe, expect, it } from 'vitest';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { loadDistroTree } from '../../../shared/distro/load';
import { imageEntries, imageEntry } from '../../../shared/images/image-entry';
import type { ImageEntry } from '../../../shared/images/image-entry';
import { resolveImageDefinition } from '../../../shared/images/resolve-definition';
import { fixturePath } from '../../../testing/fixtures/fixture-path';
import { thrownPipelineError } from '../../../testing/failures';
import {
  CONTAINER_BASE,
  CONTAINER_BASE_FILE,
  VM_BASE,
  VM_BASE_FILE,
  VM_BASE_IMAGE_PACKAGES,
  edited,
} from './kiwi-fixtures';

const tree = loadDistroTree(new FsDistroFiles(), fixturePath('azurelinux'));
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** An image entry for a hand-edited description (the real tree's entries point at the real files). */
const entryFor = (profile?: string): ImageEntry => ({
  name: 'test-image',
  config: {},
  allowMissing: false,
  file: '/tree/test.kiwi',
  ...(profile !== undefined && { profile }),
});

describe("the real tree's images", () => {
  it('are the five entries of images.toml, each pointing at its kiwi file and profile', () => {
    expect(imageEntries(tree).map((e) => [e.name, e.file, e.profile])).toEqual([
      ['container-base', CONTAINER_BASE_FILE, 'core'],
      ['container-distroless-base', CONTAINER_BASE_FILE, 'distroless-base'],
      ['container-distroless-debug', CONTAINER_BASE_FILE, 'distroless-debug'],
      ['container-distroless-minimal', CONTAINER_BASE_FILE, 'distroless-minimal'],
      ['vm-base', VM_BASE_FILE, undefined],
    ]);
  });

  it('refuses an image the tree does not have', () => {
    const error = thrownPipelineError(() => imageEntry(tree, 'vm-bsae'), 'image.unknown-image');
    expect(error.context).toEqual({ image: 'vm-bsae' });
  });
});

describe('vm-base resolved as the builder needs it', () => {
  const x86 = resolveImageDefinition(imageEntry(tree, 'vm-base'), VM_BASE, 'x86_64');

  it('is an oem disk: vhd-fixed with force_size, 5 GiB, UEFI (Hyper-V V2) with a 200 MiB ESP on GPT', () => {
    expect(x86).toMatchObject({
      image: 'vm-base',
      kiwiName: 'azl4-vm-base',
      arch: 'x86_64',
      profiles: [],
      kind: 'oem',
      version: '0.1',
      packageManager: 'dnf5',
      releaseVersion: '4.0',
    });
    expect(x86.container).toBeUndefined();
    expect(x86.disk).toEqual({
      format: 'vhd-fixed',
      formatOptions: ['force_size'],
      forceSize: true,
      sizeBytes: 5 * GiB,
      sizeAdditive: false,
      firmware: 'uefi',
      hyperVGeneration: 'V2',
      partitionTable: 'gpt',
      efiPartition: { sizeBytes: 200 * MiB },
      efiCsm: false,
      root: { filesystem: 'ext4', label: 'azurelinux' },
      partitions: [],
      kernelCmdline: 'console=ttyS0 rd.shell=0',
      bootloader: { name: 'grub2', bls: true, console: 'serial', timeout: 1 },
      initrdSystem: 'dracut',
      overlayRoot: false,
      oemConfig: { resize: false },
    });
  });

  it('installs the bootstrap and image packages meant for the architecture', () => {
    expect(x86.packages).toEqual({
      bootstrap: ['azurelinux-release-cloud', 'filesystem', 'grub2-efi-x64-modules', 'grub2-efi-x64', 'shim'],
      image: VM_BASE_IMAGE_PACKAGES,
      collections: { bootstrap: [], image: [] },
      ignore: [],
      delete: [],
      uninstall: [],
    });
    const arm = resolveImageDefinition(imageEntry(tree, 'vm-base'), VM_BASE, 'aarch64');
    expect(arm.packages.bootstrap).toEqual([
      'azurelinux-release-cloud',
      'filesystem',
      'grub2-efi-aa64-modules',
      'grub2-efi-aa64',
      'shim',
    ]);
    expect(arm.packages.image).toEqual(VM_BASE_IMAGE_PACKAGES);
  });

  it('filters collections and ignores by arch too, with kiwi arch spellings and lists', () => {
    const text = edited(
      VM_BASE,
      '<package name="bash" />',
      '<package name="bash" /><namedCollection name="core" arch="arm64" /><ignore name="dracut-config-rescue" arch="x86_64,aarch64" /><package name="microcode_ctl" arch="x86_64" />',
    );
    const arm = resolveImageDefinition(entryFor(), text, 'aarch64');
    expect(arm.packages.collections.image).toEqual(['core']);
    expect(arm.packages.ignore).toEqual(['dracut-config-rescue']);
    expect(arm.packages.image).not.toContain('microcode_ctl');
    const x86Edited = resolveImageDefinition(entryFor(), text, 'x86_64');
    expect(x86Edited.packages.collections.image).toEqual([]);
    expect(x86Edited.packages.image).toContain('microcode_ctl');
  });

  it('installs the section named after the image kind with the image packages, and lists removals', () => {
    const extra =
      '<packages type="oem"><package name="dracut-kiwi-oem-repart"/></packages>' +
      '<packages type="oci"><package name="container-only"/></packages>' +
      '<packages type="delete"><package name="kernel-debug"/></packages>' +
      '<packages type="uninstall"><package name="rpm-build"/></packages></image>';
    const definition = resolveImageDefinition(entryFor(), edited(VM_BASE, '</image>', extra), 'x86_64');
    expect(definition.packages.image.slice(-2)).toEqual(['kernel-modules', 'dracut-kiwi-oem-repart']);
    expect(definition.packages.image).not.toContain('container-only');
    expect(definition.packages.delete).toEqual(['kernel-debug']);
    expect(definition.packages.uninstall).toEqual(['rpm-build']);
  });

  it('maps BIOS firmware to Hyper-V V1 on an msdos table without an ESP, and fills in kiwi defaults', () => {
    const bios = resolveImageDefinition(
      entryFor(),
      edited(edited(VM_BASE, 'firmware="uefi"', 'firmware="bios"'), 'rootfs_label="azurelinux"', ''),
      'x86_64',
    );
    expect(bios.disk).toMatchObject({ firmware: 'bios', hyperVGeneration: 'V1', partitionTable: 'msdos' });
    expect(bios.disk?.efiPartition).toBeUndefined();
    expect(bios.disk?.root.label).toBe('ROOT');
    const efi = resolveImageDefinition(
      entryFor(),
      edited(edited(VM_BASE, 'firmware="uefi"', 'firmware="efi"'), 'efipartsize="200"', ''),
      'x86_64',
    );
    expect(efi.disk).toMatchObject({ hyperVGeneration: 'V2', efiPartition: { sizeBytes: 20 * MiB } });
    const unsized = resolveImageDefinition(
      entryFor(),
      edited(VM_BASE, '<size unit="G">5</size>', ''),
      'x86_64',
    );
    expect(unsized.disk?.sizeBytes).toBeUndefined();
    const inMiB = resolveImageDefinition(
      entryFor(),
      edited(VM_BASE, '<size unit="G">5</size>', '<size>300</size>'),
      'x86_64',
    );
    expect(inMiB.disk?.sizeBytes).toBe(300 * MiB);
  });

  it('refuses a disk image without a root filesystem', () => {
    const error = thrownPipelineError(
      () => resolveImageDefinition(entryFor(), edited(VM_BASE, 'filesystem="ext4"', ''), 'x86_64'),
      'image.invalid-definition',
    );
    expect(error.context).toEqual({ file: '/tree/test.kiwi', element: 'image/preferences/type@filesystem' });
  });
});

describe('the container description, one image per profile', () => {
  const resolved = (name: string) => resolveImageDefinition(imageEntry(tree, name), CONTAINER_BASE, 'x86_64');

  it('applies only the sections of the selected profile', () => {
    const expected = {
      'container-base': {
        image: ['filesystem', 'bash', 'azurelinux-release-container'],
        bootstrap: ['filesystem', 'azurelinux-release-container'],
      },
      'container-distroless-minimal': {
        image: ['filesystem', 'azurelinux-release-container', 'tzdata'],
        bootstrap: ['filesystem', 'azurelinux-release-container', 'busybox'],
      },
      'container-distroless-base': {
        image: [
          'filesystem',
          'azurelinux-release-container',
          'tzdata',
          'glibc',
          'libgcc',
          'openssl-libs',
          'setup',
        ],
        bootstrap: ['filesystem', 'azurelinux-release-container', 'busybox'],
      },
      'container-distroless-debug': {
        image: [
          'filesystem',
          'azurelinux-release-container',
          'tzdata',
          'glibc',
          'libgcc',
          'openssl-libs',
          'setup',
          'busybox',
        ],
        bootstrap: ['filesystem', 'azurelinux-release-container', 'busybox'],
      },
    };
    for (const [name, packages] of Object.entries(expected)) {
      const definition = resolved(name);
      expect({ image: definition.packages.image, bootstrap: definition.packages.bootstrap }, name).toEqual(
        packages,
      );
      expect(definition.kind, name).toBe('oci');
      expect(definition.disk, name).toBeUndefined();
      // The unprofiled preferences apply to every profile.
      expect(definition.packageManager, name).toBe('dnf5');
      expect(definition.version, name).toBe('0.1');
    }
    expect(resolved('container-base').container).toMatchObject({
      name: 'microsoft/azurelinux/base/core',
      subcommand: { clear: false, execute: '/bin/bash', arguments: [] },
    });
    expect(resolved('container-distroless-debug').container).toMatchObject({
      name: 'microsoft/azurelinux/distroless/debug',
      subcommand: { clear: true },
    });
  });

  it('without a profile selects kiwi\'s default: every import="true" profile, the first type building', () => {
    const all = resolveImageDefinition(entryFor(), CONTAINER_BASE, 'x86_64');
    expect(all.profiles).toEqual(['core', 'distroless-minimal', 'distroless-base', 'distroless-debug']);
    expect(all.container?.name).toBe('microsoft/azurelinux/base/core');
    const primary = resolveImageDefinition(
      entryFor(),
      edited(
        CONTAINER_BASE,
        '<type image="oci">\n            <containerconfig\n                name="microsoft/azurelinux/distroless/base"',
        '<type image="oci" primary="true">\n            <containerconfig\n                name="microsoft/azurelinux/distroless/base"',
      ),
      'x86_64',
    );
    expect(primary.container?.name).toBe('microsoft/azurelinux/distroless/base');
  });

  it('selects the profiles a profile requires', () => {
    const text = edited(
      CONTAINER_BASE,
      '<profile name="distroless-debug" description="Distroless Debug Container" import="true" />',
      '<profile name="distroless-debug" description="Distroless Debug Container" import="true"><requires profile="core"/></profile>',
    );
    const debug = resolveImageDefinition(entryFor('distroless-debug'), text, 'x86_64');
    expect(debug.profiles).toEqual(['distroless-debug', 'core']);
    expect(debug.packages.image).toContain('bash');
  });

  it('refuses a profile the description does not declare, and a profile that leaves no type', () => {
    const unknown = thrownPipelineError(
      () => resolveImageDefinition(entryFor('distroless-static'), CONTAINER_BASE, 'x86_64'),
      'image.unknown-profile',
    );
    expect(unknown.context).toEqual({ file: '/tree/test.kiwi', profile: 'distroless-static' });
    expect(unknown.message).toContain(
      'declared: core, distroless-minimal, distroless-base, distroless-debug',
    );
    thrownPipelineError(
      () => resolveImageDefinition(entryFor('core'), VM_BASE, 'x86_64'),
      'image.unknown-profile',
    );
    const typeless = edited(
      CONTAINER_BASE,
      '<profile name="core" description="Core Container" import="true" />',
      '<profile name="core" description="Core Container" import="true" /><profile name="bare" description="no type" />',
    );
    const error = thrownPipelineError(
      () => resolveImageDefinition(entryFor('bare'), typeless, 'x86_64'),
      'image.invalid-definition',
    );
    expect(error.message).toBe('/tree/test.kiwi: image/preferences/type: no image type for profile(s) bare');
  });
});
