import { describe, expect, it } from 'vitest';
import { imageFingerprint } from '../../../shared/images/fingerprint';
import type { ImageEntry } from '../../../shared/images/image-entry';
import { resolveImageDefinition } from '../../../shared/images/resolve-definition';
import { CONTAINER_BASE, VM_BASE, edited } from './kiwi-fixtures';

const entry: ImageEntry = { name: 'vm-base', config: {}, file: '/a/vm-base.kiwi', allowMissing: false };
const REVISIONS = { 'base/x86_64': 12, 'sdk/x86_64': 3 };

/** The fingerprint of vm-base.kiwi as edited by `edit`, for x86_64 and `REVISIONS` unless told otherwise. */
function fingerprintOf(
  text: string,
  options: { arch?: string; revisions?: Record<string, number>; file?: string } = {},
) {
  const definition = resolveImageDefinition(
    { ...entry, file: options.file ?? entry.file },
    text,
    options.arch ?? 'x86_64',
  );
  return imageFingerprint(definition, options.revisions ?? REVISIONS);
}

describe('imageFingerprint', () => {
  const base = fingerprintOf(VM_BASE);

  it('is a sha256 that the same inputs always give', () => {
    expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fingerprintOf(VM_BASE)).toBe(base);
  });

  it('does not change with layout: whitespace, comments, attribute order, revision order, file location', () => {
    const reflowed = VM_BASE.replace(/\n\s*/g, '\n').replace(/<!--[^>]*-->/g, '');
    expect(reflowed).not.toBe(VM_BASE);
    expect(fingerprintOf(reflowed)).toBe(base);
    const reordered = edited(
      VM_BASE,
      '<bootloader name="grub2" bls="true" console="serial" timeout="1" />',
      '<bootloader timeout="1" console="serial" bls="true" name="grub2"/>',
    );
    expect(fingerprintOf(reordered)).toBe(base);
    expect(fingerprintOf(VM_BASE, { revisions: { 'sdk/x86_64': 3, 'base/x86_64': 12 } })).toBe(base);
    expect(fingerprintOf(VM_BASE, { file: '/elsewhere/checkout/vm-base.kiwi' })).toBe(base);
    // A package listed twice installs once.
    expect(
      fingerprintOf(
        edited(VM_BASE, '<package name="bash" />', '<package name="bash" /><package name="bash" />'),
      ),
    ).toBe(base);
  });

  it("ignores the description's repositories, which every builder replaces", () => {
    expect(
      fingerprintOf(edited(VM_BASE, 'daily-repo-non-prod/20260303', 'daily-repo-non-prod/20260304')),
    ).toBe(base);
  });

  it('changes with every setting that reaches the image', () => {
    const changed = [
      edited(VM_BASE, '<package name="nano" />', ''),
      edited(VM_BASE, '<package name="nano" />', '<package name="nano" /><package name="htop" />'),
      edited(VM_BASE, '<size unit="G">5</size>', '<size unit="G">6</size>'),
      edited(VM_BASE, 'rootfs_label="azurelinux"', 'rootfs_label="root"'),
      edited(VM_BASE, 'console=ttyS0 rd.shell=0', 'console=ttyS0'),
      edited(VM_BASE, 'efipartsize="200"', 'efipartsize="100"'),
      edited(VM_BASE, 'firmware="uefi"', 'firmware="bios"'),
      edited(VM_BASE, 'timeout="1"', 'timeout="5"'),
      edited(VM_BASE, '<release-version>4.0', '<release-version>4.1'),
    ].map((text) => fingerprintOf(text));
    expect(new Set([base, ...changed]).size).toBe(changed.length + 1);
  });

  it('changes with the architecture, whose packages differ', () => {
    expect(fingerprintOf(VM_BASE, { arch: 'aarch64' })).not.toBe(base);
  });

  it('changes when a repository moves or another one is added', () => {
    expect(fingerprintOf(VM_BASE, { revisions: { 'base/x86_64': 13, 'sdk/x86_64': 3 } })).not.toBe(base);
    expect(fingerprintOf(VM_BASE, { revisions: { 'base/x86_64': 12 } })).not.toBe(base);
    expect(fingerprintOf(VM_BASE, { revisions: { ...REVISIONS, 'extra/x86_64': 1 } })).not.toBe(base);
  });

  it('tells the profiles of one description apart', () => {
    const of = (profile: string) =>
      imageFingerprint(
        resolveImageDefinition(
          { name: 'c', config: {}, file: '/c.kiwi', allowMissing: false, profile },
          CONTAINER_BASE,
          'x86_64',
        ),
        REVISIONS,
      );
    const all = ['core', 'distroless-minimal', 'distroless-base', 'distroless-debug'].map(of);
    expect(new Set(all).size).toBe(4);
  });
});
