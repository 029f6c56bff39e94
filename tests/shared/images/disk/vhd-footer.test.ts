import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chsGeometry,
  DEFAULT_VHD_CREATOR,
  encodeVhdFooter,
  fixedVhdFooter,
  parseVhdFooter,
  roundUpToMiB,
  vhdChecksum,
  vhdTimestamp,
} from '../../../../shared/images/disk';
import { fixturePath } from '../../../../testing/fixtures/fixture-path';
import { thrownPipelineError } from '../../../../testing/failures';

const MIB = 1024 * 1024;
const fixture = (name: string) => new Uint8Array(readFileSync(fixturePath('vhd-example', name)));
const decoded = JSON.parse(
  readFileSync(fixturePath('vhd-example', 'footers-decoded.json'), 'utf8'),
) as Record<
  string,
  { timestamp_s_since_2000: number; timestamp_utc: string; unique_id: string; checksum: string }
>;
const forceSize = fixture('footer-force_size.bin');
const noForceSize = fixture('footer-no-force_size.bin');
const qemuCreatedAt = new Date(`${decoded['footer-force_size.bin']!.timestamp_utc.replace(' ', 'T')}Z`);

/** Byte offsets of the footer's geometry (56–59) and checksum (64–67). */
const GEOMETRY = [56, 57, 58, 59];
const CHECKSUM = [64, 65, 66, 67];

describe('the fixed VHD footer against qemu-img 7.2 (tests/fixtures/vhd-example)', () => {
  it('parses both of qemu’s footers with every field the independent decoding found', () => {
    const forced = parseVhdFooter(forceSize);
    expect(forced).toEqual({
      features: 2,
      formatVersion: 0x10000,
      dataOffset: 0xffff_ffff_ffff_ffffn,
      timestamp: 848949402,
      creatorApplication: 'qem2',
      creatorVersion: 0x50003,
      creatorHostOs: 'Wi2k',
      originalSize: MIB,
      currentSize: MIB,
      geometry: { cylinders: 65535, heads: 16, sectorsPerTrack: 255 },
      diskType: 2,
      checksum: 0xffffe3ce,
      uniqueId: decoded['footer-force_size.bin']!.unique_id,
      savedState: 0,
    });
    const plain = parseVhdFooter(noForceSize);
    expect(plain).toMatchObject({
      creatorApplication: 'qemu',
      currentSize: 1_079_296,
      geometry: { cylinders: 31, heads: 4, sectorsPerTrack: 17 },
      checksum: 0xffffe530,
      uniqueId: decoded['footer-no-force_size.bin']!.unique_id,
    });
  });

  it('writes qemu’s force_size footer byte for byte given its creator, time and id, except geometry and checksum', () => {
    const ours = fixedVhdFooter({
      size: MIB,
      createdAt: qemuCreatedAt,
      uniqueId: decoded['footer-force_size.bin']!.unique_id,
      creator: { application: 'qem2', version: 0x50003, hostOs: 'Wi2k' },
    });
    const differing = [...ours.keys()].filter((i) => ours[i] !== forceSize[i]);
    // qemu marks force_size with the maximum geometry; we write the specification's for 1 MiB: 30/4/17.
    expect(differing.length).toBeGreaterThan(0);
    expect(differing.every((i) => GEOMETRY.includes(i) || CHECKSUM.includes(i))).toBe(true);
    expect(parseVhdFooter(ours).geometry).toEqual({ cylinders: 30, heads: 4, sectorsPerTrack: 17 });
  });

  it('writes qemu’s footer without force_size byte for byte, checksum included (its size is its geometry’s)', () => {
    const qemu = parseVhdFooter(noForceSize);
    const ours = encodeVhdFooter({ ...qemu, geometry: chsGeometry(qemu.currentSize) });
    expect(Buffer.from(ours).equals(Buffer.from(noForceSize))).toBe(true);
  });

  it('round-trips: encode(parse(bytes)) gives the bytes, parse(encode(footer)) the footer', () => {
    for (const bytes of [forceSize, noForceSize]) {
      expect(Buffer.from(encodeVhdFooter(parseVhdFooter(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
    const footer = fixedVhdFooter({
      size: 5 * 1024 * MIB,
      createdAt: new Date('2026-12-06T08:00:00Z'),
      uniqueId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    });
    const parsed = parseVhdFooter(footer);
    expect(parsed).toMatchObject({
      creatorApplication: DEFAULT_VHD_CREATOR.application,
      creatorHostOs: 'Wi2k',
      originalSize: 5 * 1024 * MIB,
      currentSize: 5 * 1024 * MIB,
      diskType: 2,
      features: 2,
      uniqueId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      timestamp: vhdTimestamp(new Date('2026-12-06T08:00:00Z')),
    });
    const { checksum, ...fields } = parsed;
    expect(Buffer.from(encodeVhdFooter(fields)).equals(Buffer.from(footer))).toBe(true);
    expect(checksum).toBe(vhdChecksum(footer));
  });
});

describe('the checksum', () => {
  it('is the one’s complement of the byte sum with the checksum field left out', () => {
    let sum = 0;
    forceSize.forEach((byte, i) => (sum += CHECKSUM.includes(i) ? 0 : byte));
    expect(vhdChecksum(forceSize)).toBe((0xffff_ffff - sum) >>> 0);
    expect(vhdChecksum(forceSize)).toBe(0xffffe3ce);
  });

  it('catches a changed byte, a wrong cookie and a wrong length', () => {
    const changed = forceSize.slice();
    changed[48 + 5]! ^= 0x01; // one bit of the current size
    expect(thrownPipelineError(() => parseVhdFooter(changed), 'image.vhd-footer-invalid').message).toMatch(
      /checksum/,
    );
    const cookie = forceSize.slice();
    cookie[0] = 0x43; // "Conectix"
    expect(thrownPipelineError(() => parseVhdFooter(cookie), 'image.vhd-footer-invalid').message).toMatch(
      /cookie/,
    );
    thrownPipelineError(() => parseVhdFooter(forceSize.subarray(0, 511)), 'image.vhd-footer-invalid');
  });
});

describe('CHS geometry by the specification’s algorithm', () => {
  it.each([
    // [size, cylinders, heads, sectors per track], worked through the appendix by hand
    [MIB, 30, 4, 17], // 2048 sectors: 120 cylinders×heads, the minimum of 4 heads
    [1_079_296, 31, 4, 17], // qemu's rounded-up 1 MiB: its geometry is exact
    [64 * MIB, 963, 8, 17], // 131072 sectors: heads (7710+1023)/1024 = 8
    [67_125_248, 964, 8, 17], // qemu's rounded-up 64 MiB
    [200 * MIB, 825, 16, 31], // 17 sectors would need 24 heads: 31 sectors, 16 heads
    [5 * 1024 * MIB, 10402, 16, 63], // 17 and 31 sectors both overflow 1024 cylinders×16 heads
    [64 * 1024 * MIB, 32896, 16, 255], // past 65535·16·63 sectors: 255 sectors per track
    [4 * 1024 * 1024 * MIB, 65535, 16, 255], // capped at the largest geometry
  ])('%i bytes → %i/%i/%i', (size, cylinders, heads, sectorsPerTrack) => {
    expect(chsGeometry(size)).toEqual({ cylinders, heads, sectorsPerTrack });
  });

  it('never describes more than the disk: C·H·S·512 ≤ size below the cap', () => {
    for (const size of [MIB, 7 * MIB, 100 * MIB, 1000 * MIB, 20 * 1024 * MIB, 100 * 1024 * MIB]) {
      const { cylinders, heads, sectorsPerTrack } = chsGeometry(size);
      expect(cylinders * heads * sectorsPerTrack * 512).toBeLessThanOrEqual(size);
    }
  });
});

describe('sizes and times', () => {
  it('rounds a virtual size up to a whole MiB and refuses a footer for any other size', () => {
    expect(roundUpToMiB(100_000_000)).toBe(96 * MIB);
    expect(roundUpToMiB(64 * MIB)).toBe(64 * MIB);
    expect(roundUpToMiB(64 * MIB + 1)).toBe(65 * MIB);
    const error = thrownPipelineError(
      () =>
        fixedVhdFooter({
          size: 100_000_000,
          createdAt: new Date(),
          uniqueId: decoded['footer-force_size.bin']!.unique_id,
        }),
      'image.vhd-footer-invalid',
    );
    expect(error.context).toEqual({ size: 100_000_000 });
  });

  it('counts time stamps in seconds from 2000-01-01 UTC, as qemu did', () => {
    expect(vhdTimestamp(qemuCreatedAt)).toBe(decoded['footer-force_size.bin']!.timestamp_s_since_2000);
    expect(vhdTimestamp(new Date('2000-01-01T00:00:00Z'))).toBe(0);
    thrownPipelineError(() => vhdTimestamp(new Date('1999-12-31T23:59:59Z')), 'image.vhd-footer-invalid');
  });

  it('refuses a unique id that is not a UUID and a creator that is not four ASCII characters', () => {
    const options = { size: MIB, createdAt: qemuCreatedAt, uniqueId: 'not-a-uuid' };
    thrownPipelineError(() => fixedVhdFooter(options), 'image.vhd-footer-invalid');
    thrownPipelineError(
      () =>
        fixedVhdFooter({
          ...options,
          uniqueId: decoded['footer-force_size.bin']!.unique_id,
          creator: { application: 'azl', version: 1, hostOs: 'Wi2k' },
        }),
      'image.vhd-footer-invalid',
    );
  });
});
