import { installedPackage, type InstalledPackage } from '../../shared/images/installed-package';
import type { ImageManifestInput } from '../../shared/images/manifest';

/**
 * Installed packages that cover what the manifest and the SBOM must handle: an epoch, two versions of one
 * name (installonly kernels), a `+` in a name, `^` and `~` in versions, an SPDX License tag, a Callaway one
 * (`GPLv2+ and BSD`), a lower-case SPDX one, a `LicenseRef-`, a `WITH` exception, no License tag, no source
 * RPM. In no particular order, as rpm prints them.
 */
export function samplePackages(): InstalledPackage[] {
  return [
    pkg(
      'kernel',
      0,
      '6.6.2',
      '1.azl3',
      'x86_64',
      'GPL-2.0-only AND (GPL-2.0-or-later OR MIT)',
      'kernel-6.6.2-1.azl3.src.rpm',
    ),
    pkg('bash', 0, '5.2.26', '3.azl3', 'x86_64', 'GPL-3.0-or-later', 'bash-5.2.26-3.azl3.src.rpm'),
    pkg(
      'gcc-c++',
      0,
      '13.2.0',
      '7.azl3',
      'x86_64',
      'GPL-3.0-or-later AND LGPL-3.0-or-later AND (GPL-3.0-or-later WITH GCC-exception-3.1)',
      'gcc-13.2.0-7.azl3.src.rpm',
    ),
    pkg('shim', 0, '15.8', '2.azl3', 'x86_64', 'BSD', 'shim-15.8-2.azl3.src.rpm'),
    pkg('openssl-libs', 1, '3.3.0', '2.azl3', 'x86_64', 'Apache-2.0', 'openssl-3.3.0-2.azl3.src.rpm'),
    pkg('kernel', 0, '6.6.1', '4.azl3', 'x86_64', 'GPL-2.0-only', 'kernel-6.6.1-4.azl3.src.rpm'),
    pkg(
      'tzdata',
      0,
      '2024a',
      '1.azl3',
      'noarch',
      'LicenseRef-Fedora-Public-Domain',
      'tzdata-2024a-1.azl3.src.rpm',
    ),
    pkg(
      'grub2-efi-x64',
      1,
      '2.06^git20240101',
      '9~rc1.azl3',
      'x86_64',
      'GPLv2+ and BSD',
      'grub2-2.06-9.azl3.src.rpm',
    ),
    pkg('zlib', 0, '1.3.1', '1.azl3', 'x86_64', 'zlib and mit', 'zlib-1.3.1-1.azl3.src.rpm'),
    pkg('filesystem', 0, '1.1', '21.azl3', 'x86_64', null, null),
  ];
}

function pkg(
  name: string,
  epoch: number,
  version: string,
  release: string,
  arch: string,
  license: string | null,
  sourceRpm: string | null,
): InstalledPackage {
  return installedPackage({
    name,
    epoch,
    version,
    release,
    arch,
    license,
    sourceRpm,
    sizeBytes: 1000 + name.length,
  });
}

const MIB = 1024 * 1024;

/** A valid build of `vm-base` over the sample packages (missing packages allowed, one left out). */
export function sampleManifestInput(overrides: Partial<ImageManifestInput> = {}): ImageManifestInput {
  return {
    image: { name: 'vm-base', version: '3.0.20261206.1' },
    fingerprint: 'sha256:5d41402abc4b2a76b9719d911017c592a1b3c4d5e6f708192a3b4c5d6e7f8091',
    description: { file: 'base/images/vm-base/vm-base.kiwi', sha256: 'a'.repeat(64) },
    repositories: [
      {
        repository: 'base/x86_64',
        revision: 7,
        baseUrl: 'http://127.0.0.1:10000/devstoreaccount1/repos/base/x86_64',
      },
      {
        repository: 'base/noarch',
        revision: 3,
        baseUrl: 'http://127.0.0.1:10000/devstoreaccount1/repos/base/noarch',
      },
    ],
    packages: samplePackages(),
    requested: {
      packages: ['kernel', 'bash', 'shim', 'grub2-efi-x64', 'filesystem', 'cloud-init', 'bash'],
      missing: ['cloud-init'],
      allowMissing: true,
    },
    sizes: { virtualBytes: 5120 * MIB, vhdFileBytes: 5120 * MIB + 512, dataBytes: 900 * MIB },
    vhd: { file: 'vm-base-3.0.20261206.1.vhd', sha256: 'b'.repeat(64) },
    builtAt: new Date('2026-12-06T08:30:15.123Z'),
    builder: { kind: 'local', version: '0.1.0' },
    ...overrides,
  };
}
