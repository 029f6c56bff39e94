import { describe, expect, it } from 'vitest';
import {
  buildImageManifest,
  imageManifestJson,
  parseImageManifest,
  type ImageManifestInput,
} from '../../../shared/images/manifest';
import { thrownPipelineError } from '../../../testing/failures';
import { sampleManifestInput } from '../../../testing/images/sample-image-manifest';
import { mulberry32 } from '../../../testing/seeded-random';

const MIB = 1024 * 1024;

/** The same list in another order (seeded Fisher-Yates). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The input with every list shuffled and every object's keys in reverse order. */
function scrambled(input: ImageManifestInput, seed: number): ImageManifestInput {
  const reversed = <T extends object>(value: T): T =>
    Object.fromEntries(Object.entries(value).reverse()) as T;
  return reversed({
    ...input,
    repositories: shuffled(input.repositories, seed).map(reversed),
    packages: shuffled(input.packages, seed + 1).map(reversed),
    requested: reversed({
      ...input.requested,
      packages: shuffled(input.requested.packages, seed + 2),
    }),
  });
}

describe('buildImageManifest', () => {
  it('lists packages by name, arch and NEVRA, repositories by id, requested names once and sorted', () => {
    const manifest = buildImageManifest(sampleManifestInput());
    expect(manifest.packages.map((p) => p.nevra)).toEqual([
      'bash-5.2.26-3.azl3.x86_64',
      'filesystem-1.1-21.azl3.x86_64',
      'gcc-c++-13.2.0-7.azl3.x86_64',
      'grub2-efi-x64-1:2.06^git20240101-9~rc1.azl3.x86_64',
      'kernel-6.6.1-4.azl3.x86_64',
      'kernel-6.6.2-1.azl3.x86_64',
      'openssl-libs-1:3.3.0-2.azl3.x86_64',
      'shim-15.8-2.azl3.x86_64',
      'tzdata-2024a-1.azl3.noarch',
      'zlib-1.3.1-1.azl3.x86_64',
    ]);
    expect(manifest.repositories.map((r) => r.repository)).toEqual(['base/noarch', 'base/x86_64']);
    expect(manifest.requested).toEqual({
      packages: ['bash', 'cloud-init', 'filesystem', 'grub2-efi-x64', 'kernel', 'shim'],
      missing: ['cloud-init'],
      allowMissing: true,
    });
    expect(manifest.builtAt).toBe('2026-12-06T08:30:15.123Z');
    expect(manifest.manifestVersion).toBe(1);
  });

  it('writes the same bytes whatever order the build assembled its input in', () => {
    const reference = imageManifestJson(buildImageManifest(sampleManifestInput()));
    for (const seed of [1, 2, 3, 42]) {
      expect(imageManifestJson(buildImageManifest(scrambled(sampleManifestInput(), seed)))).toBe(reference);
    }
    // Keys sorted at every depth: the package objects start with arch and end with version.
    const firstPackage = (JSON.parse(reference) as { packages: Record<string, unknown>[] }).packages[0] ?? {};
    expect(Object.keys(firstPackage)).toEqual([
      'arch',
      'epoch',
      'license',
      'name',
      'nevra',
      'release',
      'sizeBytes',
      'sourceRpm',
      'version',
    ]);
    expect(reference.endsWith('}\n')).toBe(true);
  });

  it('round-trips through its JSON and the schema', () => {
    const manifest = buildImageManifest(sampleManifestInput());
    const text = imageManifestJson(manifest);
    const read = parseImageManifest(JSON.parse(text));
    expect(read).toEqual(manifest);
    expect(imageManifestJson(read)).toBe(text);
  });

  it('lists unmet dependencies by capability, then package, and leaves the field out when there are none', () => {
    const requested = { packages: ['bash'], missing: [], allowMissing: true };
    const manifest = buildImageManifest(
      sampleManifestInput({
        requested: {
          ...requested,
          unresolved: [
            { capability: 'rtld(GNU_HASH)', neededBy: 'bash-5.2.26-3.azl3.x86_64' },
            { capability: 'libc.so.6()(64bit)', neededBy: 'zlib-1.3.1-1.azl3.x86_64' },
            { capability: 'libc.so.6()(64bit)', neededBy: 'bash-5.2.26-3.azl3.x86_64' },
          ],
        },
      }),
    );
    expect(manifest.requested.unresolved).toEqual([
      { capability: 'libc.so.6()(64bit)', neededBy: 'bash-5.2.26-3.azl3.x86_64' },
      { capability: 'libc.so.6()(64bit)', neededBy: 'zlib-1.3.1-1.azl3.x86_64' },
      { capability: 'rtld(GNU_HASH)', neededBy: 'bash-5.2.26-3.azl3.x86_64' },
    ]);
    expect(parseImageManifest(JSON.parse(imageManifestJson(manifest)))).toEqual(manifest);
    const none = buildImageManifest(sampleManifestInput({ requested: { ...requested, unresolved: [] } }));
    expect(Object.keys(none.requested)).toEqual(['packages', 'missing', 'allowMissing']);
  });

  it('keeps nulls for a package without a License tag or source RPM', () => {
    const manifest = buildImageManifest(sampleManifestInput());
    expect(manifest.packages.find((p) => p.name === 'filesystem')).toMatchObject({
      license: null,
      sourceRpm: null,
    });
  });
});

describe('the rules a manifest keeps', () => {
  const invalid = (overrides: Partial<ImageManifestInput>) =>
    thrownPipelineError(() => buildImageManifest(sampleManifestInput(overrides)), 'image.manifest-invalid');

  it('refuses missing packages when missing packages were not allowed', () => {
    const error = invalid({
      requested: { packages: ['bash', 'cloud-init'], missing: ['cloud-init'], allowMissing: false },
    });
    expect(error.context.field).toBe('requested.missing');
    expect(error.retryable).toBe(false);
  });

  it('refuses unmet dependencies when missing packages were not allowed', () => {
    const error = invalid({
      requested: {
        packages: ['bash'],
        missing: [],
        allowMissing: false,
        unresolved: [{ capability: 'libc.so.6()(64bit)', neededBy: 'bash-5.2.26-3.azl3.x86_64' }],
      },
    });
    expect(error.context.field).toBe('requested.unresolved');
  });

  it('refuses a missing package that was never asked for', () => {
    const error = invalid({ requested: { packages: ['bash'], missing: ['cloud-init'], allowMissing: true } });
    expect(error.context.field).toBe('requested.missing.0');
    expect(error.message).toContain('cloud-init was not asked for');
  });

  it('refuses a virtual size that is not a whole MiB, and a VHD file that is not it plus the footer', () => {
    expect(
      invalid({ sizes: { virtualBytes: 5 * MIB + 512, vhdFileBytes: 5 * MIB + 1024, dataBytes: 0 } }).context
        .field,
    ).toBe('sizes.virtualBytes');
    expect(
      invalid({ sizes: { virtualBytes: 5 * MIB, vhdFileBytes: 5 * MIB, dataBytes: 0 } }).context.field,
    ).toBe('sizes.vhdFileBytes');
    expect(
      invalid({ sizes: { virtualBytes: 5 * MIB, vhdFileBytes: 5 * MIB + 512, dataBytes: 6 * MIB } }).context
        .field,
    ).toBe('sizes.dataBytes');
  });

  it('refuses a package listed twice and a hash that is not a SHA-256', () => {
    const [first] = sampleManifestInput().packages;
    if (!first) throw new Error('no sample package');
    expect(invalid({ packages: [first, { ...first }] }).context.field).toBe('packages.1.nevra');
    expect(invalid({ vhd: { file: 'x.vhd', sha256: 'B'.repeat(64) } }).context.field).toBe('vhd.sha256');
  });

  it('refuses a document of another format or with an unknown field when read back', () => {
    const json = JSON.parse(imageManifestJson(buildImageManifest(sampleManifestInput()))) as Record<
      string,
      unknown
    >;
    const other = thrownPipelineError(
      () => parseImageManifest({ ...json, manifestVersion: 2 }),
      'image.manifest-invalid',
    );
    expect(other.context.field).toBe('manifestVersion');
    const extra = thrownPipelineError(
      () => parseImageManifest({ ...json, kernel: 'x' }),
      'image.manifest-invalid',
    );
    expect(extra.context.field).toBe('');
    expect(extra.message).toContain('kernel');
  });
});
