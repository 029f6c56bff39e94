import { describe, expect, it } from 'vitest';
import { blsEntryPath, blsEntryText, fstabText } from '../../../shared/images/boot-files';

describe('boot files', () => {
  it('mount the root and the ESP by label, with the root’s own options', () => {
    expect(fstabText({ rootLabel: 'azurelinux', rootFilesystem: 'ext4', espLabel: 'EFI' })).toBe(
      'LABEL=azurelinux / ext4 defaults 0 1\nLABEL=EFI /boot/efi vfat umask=0077,shortname=winnt 0 2\n',
    );
    expect(
      fstabText({ rootLabel: 'r', rootFilesystem: 'ext4', rootMountOptions: 'noatime', espLabel: 'EFI' }),
    ).toMatch(/^LABEL=r \/ ext4 noatime 0 1\n/);
  });

  it('name the boot entry after the machine id and kernel, and name only an initramfs that exists', () => {
    const input = {
      kernelVersion: '6.12.1-1.azl4.x86_64',
      machineId: '0123456789abcdef0123456789abcdef',
      title: 'azl4-vm-base',
      rootLabel: 'azurelinux',
      kernelCmdline: ' console=ttyS0 rd.shell=0 ',
      hasInitramfs: true,
    };
    expect(blsEntryPath(input)).toBe(
      'boot/loader/entries/0123456789abcdef0123456789abcdef-6.12.1-1.azl4.x86_64.conf',
    );
    expect(blsEntryText(input)).toBe(
      [
        'title azl4-vm-base (6.12.1-1.azl4.x86_64)',
        'version 6.12.1-1.azl4.x86_64',
        'linux /boot/vmlinuz-6.12.1-1.azl4.x86_64',
        'initrd /boot/initramfs-6.12.1-1.azl4.x86_64.img',
        'options root=LABEL=azurelinux console=ttyS0 rd.shell=0',
        '',
      ].join('\n'),
    );
    const { kernelCmdline: _none, ...withoutCmdline } = input;
    const bare = blsEntryText({ ...withoutCmdline, hasInitramfs: false });
    expect(bare).not.toContain('initrd');
    expect(bare).toContain('options root=LABEL=azurelinux\n');
  });
});
