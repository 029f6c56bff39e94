import { describe, expect, it } from 'vitest';
import { buildGpt } from '../../../shared/images/disk';
import { localDiskGptSpec, localDiskLayout } from '../../../shared/images/local-disk-layout';
import { resolveImageDefinition } from '../../../shared/images/resolve-definition';
import { thrownPipelineError } from '../../../testing/failures';
import { edited, VM_BASE } from './kiwi-fixtures';

const MiB = 1024 ** 2;
const entry = { name: 'vm-base', config: {}, file: '/tree/vm-base.kiwi', allowMissing: false };
const definitionOf = (kiwi: string, arch = 'x86_64') => resolveImageDefinition(entry, kiwi, arch);
const GUIDS = {
  disk: '11111111-2222-4333-8444-555555555555',
  esp: '21111111-2222-4333-8444-555555555555',
  root: '31111111-2222-4333-8444-555555555555',
};

describe('the local builder’s disk layout', () => {
  it('takes the size, ESP size, root label and kernel command line from vm-base.kiwi', () => {
    const layout = localDiskLayout(definitionOf(VM_BASE));
    expect(layout).toEqual({
      diskSize: 5 * 1024 * MiB,
      architecture: 'x86_64',
      esp: { sizeBytes: 200 * MiB, label: 'EFI' },
      root: { label: 'azurelinux', filesystem: 'ext4' },
      kernelCmdline: 'console=ttyS0 rd.shell=0',
    });
    const gpt = buildGpt(localDiskGptSpec(layout, GUIDS)).layout;
    expect(gpt.partitions.map((p) => [p.name, p.type, p.offset, p.size])).toEqual([
      ['p.UEFI', 'esp', MiB, 200 * MiB],
      // The root takes the rest up to the last whole MiB before the backup GPT.
      ['p.lxroot', 'linux-root', 201 * MiB, 5 * 1024 * MiB - 202 * MiB],
    ]);
  });

  it.each([
    ['BIOS firmware', ['firmware="uefi"', 'firmware="bios"'], 'type@firmware'],
    ['another format', ['format="vhd-fixed"', 'format="qcow2"'], 'type@format'],
    ['another root file system', ['filesystem="ext4"', 'filesystem="xfs"'], 'type@filesystem'],
    ['a separate /boot', ['bootpartition="false"', 'bootpartition="true"'], 'type@bootpartition'],
    ['an additive size', ['<size unit="G">', '<size unit="G" additive="true">'], 'type/size'],
    ['no size', ['<size unit="G">5</size>', ''], 'type/size'],
  ])('refuses %s, naming the setting', (_what, [from, to], element) => {
    const error = thrownPipelineError(
      () => localDiskLayout(definitionOf(edited(VM_BASE, from!, to!))),
      'image.unsupported-setting',
    );
    expect(error.context).toMatchObject({ image: 'vm-base', element });
    expect(error.message).toContain('not supported by the local image builder');
  });
});
