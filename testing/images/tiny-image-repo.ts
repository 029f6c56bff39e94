import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildRpms, createrepo } from '../rpm/rpm-tools';
import { DISTROS, writeTree } from '../fixtures/distro-tree';

/**
 * A tiny image's world, for the local image builder: an rpm-md repository of five small noarch RPMs built
 * with the real `rpmbuild` (a `filesystem`-like package, one with files in `/boot/efi`, a program, and a
 * stand-in kernel that puts a `vmlinuz` under `/usr/lib/modules/<kver>/`, as Fedora's kernel-core does),
 * and a distro tree whose images are small kiwi descriptions (oem, vhd-fixed, 64 MiB, EFI, ext4).
 */

export const TINY_KERNEL_VERSION = '6.6.6-1.tiny.noarch';

const spec = (name: string, body: { requires?: string; install: string; files: string }) => `Name: ${name}
Version: 1.0
Release: 1
Summary: ${name} for image tests
License: MIT
BuildArch: noarch
# No automatic dependencies: the script's /bin/sh is in no repository of the tests.
AutoReqProv: no
${body.requires === undefined ? '' : `Requires: ${body.requires}\n`}
%description
${name}.

%install
${body.install}

%files
${body.files}
`;

export const TINY_IMAGE_SPECS: Record<string, string> = {
  filesystem: spec('filesystem', {
    install: `mkdir -p %{buildroot}/boot/efi %{buildroot}/etc %{buildroot}/usr/bin %{buildroot}/usr/lib/modules %{buildroot}/var/lib
echo 'NAME="Tiny Linux"' > %{buildroot}/etc/os-release`,
    files: `%dir /boot
%dir /boot/efi
%dir /etc
%dir /usr
%dir /usr/bin
%dir /usr/lib
%dir /usr/lib/modules
%dir /var
%dir /var/lib
/etc/os-release`,
  }),
  'tiny-efi': spec('tiny-efi', {
    requires: 'filesystem',
    install: `mkdir -p %{buildroot}/boot/efi/EFI/BOOT
echo 'not really shim' > %{buildroot}/boot/efi/EFI/BOOT/BOOTX64.EFI`,
    files: '/boot/efi/EFI',
  }),
  'tiny-hello': spec('tiny-hello', {
    requires: 'filesystem',
    install: `mkdir -p %{buildroot}/usr/bin
printf '#!/bin/sh\\necho hello\\n' > %{buildroot}/usr/bin/tiny-hello
chmod 755 %{buildroot}/usr/bin/tiny-hello`,
    files: '/usr/bin/tiny-hello',
  }),
  // 4 MiB that do not compress: more than the root file system of a 20 MiB disk holds.
  'tiny-bulk': spec('tiny-bulk', {
    install: `mkdir -p %{buildroot}/usr/share/tiny-bulk
head -c 4194304 /dev/urandom > %{buildroot}/usr/share/tiny-bulk/data`,
    files: '/usr/share/tiny-bulk',
  }),
  'tiny-kernel': spec('tiny-kernel', {
    requires: 'filesystem',
    install: `mkdir -p %{buildroot}/usr/lib/modules/${TINY_KERNEL_VERSION}
echo 'not really a kernel' > %{buildroot}/usr/lib/modules/${TINY_KERNEL_VERSION}/vmlinuz`,
    files: `/usr/lib/modules/${TINY_KERNEL_VERSION}`,
  }),
};

/** The repository: `dir/repo` with its repodata (`createrepo_c`, revision 7); returns its `file:` base URL. */
export function buildTinyImageRepo(dir: string): { baseUrl: string; rpms: string[] } {
  const repo = join(dir, 'repo');
  mkdirSync(repo, { recursive: true });
  const rpms = buildRpms(join(dir, 'build'), TINY_IMAGE_SPECS).filter((f) => !f.endsWith('.src.rpm'));
  for (const rpm of rpms) copyFileSync(rpm, join(repo, basename(rpm)));
  createrepo(repo, '7');
  return { baseUrl: `${pathToFileURL(repo).href}/`, rpms: rpms.map((f) => basename(f)) };
}

/** A small kiwi disk image description asking for `packages` (image) and `bootstrap`. */
export function tinyKiwi(options: {
  name: string;
  image: readonly string[];
  bootstrap: readonly string[];
  /** The disk size (default 64 MiB). */
  sizeMiB?: number;
}): string {
  const list = (names: readonly string[]) => names.map((n) => `    <package name="${n}"/>`).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<image schemaversion="8.3" name="${options.name}">
  <description type="system">
    <author>Tests</author>
    <contact>tests@example.invalid</contact>
    <specification>A tiny VM image for the local image builder's tests</specification>
  </description>
  <preferences>
    <version>1.2.3</version>
    <packagemanager>dnf5</packagemanager>
    <release-version>4.0</release-version>
    <type image="oem" format="vhd-fixed" formatoptions="force_size" filesystem="ext4" firmware="uefi"
          efipartsize="16" rootfs_label="tinyroot" kernelcmdline="console=ttyS0 rd.shell=0">
      <bootloader name="grub2" bls="true" console="serial" timeout="1"/>
      <size unit="M">${options.sizeMiB ?? 64}</size>
    </type>
  </preferences>
  <repository type="rpm-md" alias="replaced-by-the-builder">
    <source path="https://example.invalid/never-read/"/>
  </repository>
  <packages type="image">
${list(options.image)}
  </packages>
  <packages type="bootstrap">
${list(options.bootstrap)}
  </packages>
</image>
`;
}

/**
 * A distro tree with three images: `tiny-vm` (the tiny repository's packages but `tiny-bulk`),
 * `tiny-vm-wants-more` (the same and two no repository has: `no-such-tool`, `absent-daemon`), and
 * `tiny-vm-too-small` (`tiny-bulk` on a 20 MiB disk, whose root cannot hold it). Returns the tree's folder.
 */
export function writeTinyImageTree(): string {
  const bootstrap = ['filesystem', 'tiny-efi'];
  return writeTree({
    'azldev.toml': `${DISTROS}
[images.tiny-vm]
description = "Tiny VM"
definition = { type = "kiwi", path = "images/tiny-vm.kiwi" }

[images.tiny-vm-wants-more]
description = "Tiny VM asking for more than there is"
definition = { type = "kiwi", path = "images/tiny-vm-wants-more.kiwi" }

[images.tiny-vm-too-small]
description = "Tiny VM whose packages do not fit its disk"
definition = { type = "kiwi", path = "images/tiny-vm-too-small.kiwi" }
`,
    'images/tiny-vm.kiwi': tinyKiwi({ name: 'tiny-vm', image: ['tiny-hello', 'tiny-kernel'], bootstrap }),
    'images/tiny-vm-wants-more.kiwi': tinyKiwi({
      name: 'tiny-vm-wants-more',
      image: ['tiny-hello', 'no-such-tool', 'tiny-kernel', 'absent-daemon'],
      bootstrap,
    }),
    'images/tiny-vm-too-small.kiwi': tinyKiwi({
      name: 'tiny-vm-too-small',
      image: ['tiny-bulk'],
      bootstrap,
      sizeMiB: 20,
    }),
  });
}
