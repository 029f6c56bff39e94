import { readFileSync } from 'node:fs';
import { fixturePath } from '../../../testing/fixtures/fixture-path';

/** The real Azure Linux kiwi descriptions (tests/fixtures/azurelinux/SOURCE.md), their paths and text. */
export const VM_BASE_FILE = fixturePath('azurelinux', 'base', 'images', 'vm-base', 'vm-base.kiwi');
export const CONTAINER_BASE_FILE = fixturePath(
  'azurelinux',
  'base',
  'images',
  'container-base',
  'container-base.kiwi',
);
export const VM_BASE = readFileSync(VM_BASE_FILE, 'utf8');
export const CONTAINER_BASE = readFileSync(CONTAINER_BASE_FILE, 'utf8');

/** `text` with `from` replaced once; fails loudly when `from` is not there, so a test cannot edit nothing. */
export function edited(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the fixture has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** vm-base.kiwi's `<packages type="image">` list, in file order. */
export const VM_BASE_IMAGE_PACKAGES = [
  'azurelinux-release-cloud',
  'azurelinux-repos',
  'bash',
  'ca-certificates',
  'coreutils',
  'acl',
  'attr',
  'audit',
  'bash-completion',
  'bc',
  'binutils',
  'bind-utils',
  'brotli',
  'bzip2',
  'chkconfig',
  'chrony',
  'cloud-init',
  'cloud-utils-growpart',
  'cracklib-dicts',
  'cronie',
  'cryptsetup',
  'cyrus-sasl',
  'device-mapper-event',
  'dnf5',
  'dnf5-plugins',
  'elfutils',
  'file',
  'firewalld',
  'glibc',
  'glibc-langpack-en',
  'grub2',
  'grubby',
  'gzip',
  'hostname',
  'iproute',
  'iputils',
  'irqbalance',
  'kernel',
  'lvm2',
  'lz4',
  'man-db',
  'nano',
  'ncurses',
  'ncurses-term',
  'net-tools',
  'nftables',
  'openssh-clients',
  'openssh-server',
  'rsync',
  'selinux-policy-targeted',
  'setup',
  'shadow-utils',
  'sudo',
  'systemd',
  'systemd-networkd',
  'systemd-resolved',
  'tar',
  'tpm2-tss',
  'unzip',
  'util-linux',
  'vim-minimal',
  'wget',
  'which',
  'zchunk',
  'zlib',
  'WALinuxAgent',
  'azure-vm-utils',
  'hyperv-daemons',
  'kernel-modules',
];
