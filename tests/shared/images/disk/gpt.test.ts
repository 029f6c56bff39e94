import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  buildGpt,
  ESP_TYPE_GUID,
  guidFromBytes,
  guidToBytes,
  LINUX_ROOT_TYPE_GUIDS,
  planGpt,
} from '../../../../shared/images/disk';
import type { GptDiskSpec } from '../../../../shared/images/disk';
import { thrownPipelineError } from '../../../../testing/failures';

const MIB = 1024 * 1024;
const DISK_GUID = '6E0B3A9C-2F4D-4B8E-9A1C-0D2E3F405162';
const ESP_GUID = 'A1B2C3D4-E5F6-4708-9A0B-1C2D3E4F5061';
const ROOT_GUID = '11223344-5566-4778-899A-ABBCCDDEEFF0';

const spec = (overrides: Partial<GptDiskSpec> = {}): GptDiskSpec => ({
  diskSize: 64 * MIB,
  architecture: 'x86_64',
  diskGuid: DISK_GUID,
  partitions: [
    { name: 'ESP', type: 'esp', size: 8 * MIB, guid: ESP_GUID },
    { name: 'root', type: 'linux-root', size: 'rest', guid: ROOT_GUID },
  ],
  ...overrides,
});

const u32 = (bytes: Uint8Array, at: number) =>
  new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);
const u64 = (bytes: Uint8Array, at: number) =>
  Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(at, true));

describe('GUIDs on disk', () => {
  it('stores the first three fields little-endian and the last two as written (the ESP type as UEFI lists it)', () => {
    expect(Buffer.from(guidToBytes(ESP_TYPE_GUID)).toString('hex')).toBe('28732ac11ff8d211ba4b00a0c93ec93b');
    expect(guidFromBytes(guidToBytes(ESP_TYPE_GUID))).toBe(ESP_TYPE_GUID);
    expect(guidFromBytes(guidToBytes(ROOT_GUID.toLowerCase()))).toBe(ROOT_GUID);
  });
});

describe('planGpt', () => {
  it('starts the first partition at 1 MiB and keeps every partition whole MiB, the last up to the last whole MiB', () => {
    const layout = planGpt(spec());
    expect(layout).toMatchObject({ sectorCount: 131072, firstUsableLba: 34, lastUsableLba: 131038 });
    expect(layout.partitions).toEqual([
      {
        number: 1,
        name: 'ESP',
        type: 'esp',
        typeGuid: ESP_TYPE_GUID,
        guid: ESP_GUID,
        firstLba: 2048,
        lastLba: 2048 + 16384 - 1,
        offset: MIB,
        size: 8 * MIB,
      },
      {
        number: 2,
        name: 'root',
        type: 'linux-root',
        typeGuid: LINUX_ROOT_TYPE_GUIDS.x86_64,
        guid: ROOT_GUID,
        firstLba: 9 * 2048,
        // the backup GPT takes the last 33 blocks, so the last whole MiB before it ends at 63 MiB
        lastLba: 63 * 2048 - 1,
        offset: 9 * MIB,
        size: 54 * MIB,
      },
    ]);
  });

  it('gives the root partition the architecture’s type', () => {
    const layout = planGpt(spec({ architecture: 'aarch64' }));
    expect(layout.partitions[1]!.typeGuid).toBe('B921B045-1DF0-41C3-AF44-4C6F280D3FAE');
  });

  it.each([
    ['a disk that is not a whole MiB', spec({ diskSize: 64 * MIB + 512 }), /whole number of MiB/],
    ['no partitions', spec({ partitions: [] }), /1 to 128 partitions/],
    [
      'a partition that is not a whole MiB',
      spec({ partitions: [{ name: 'root', type: 'linux-root', size: MIB + 4096, guid: ROOT_GUID }] }),
      /partition size .* whole number of MiB/,
    ],
    [
      'partitions larger than the disk',
      spec({ partitions: [{ name: 'root', type: 'linux-root', size: 63 * MIB, guid: ROOT_GUID }] }),
      /does not fit/,
    ],
    [
      '"rest" before the last partition',
      spec({
        partitions: [
          { name: 'root', type: 'linux-root', size: 'rest', guid: ROOT_GUID },
          { name: 'ESP', type: 'esp', size: MIB, guid: ESP_GUID },
        ],
      }),
      /only the last partition/,
    ],
    [
      'a name over 36 UTF-16 code units',
      spec({ partitions: [{ name: 'r'.repeat(37), type: 'linux-root', size: 'rest', guid: ROOT_GUID }] }),
      /1 to 36 UTF-16/,
    ],
    [
      'a GUID used twice',
      spec({
        partitions: [{ name: 'root', type: 'linux-root', size: 'rest', guid: DISK_GUID.toLowerCase() }],
      }),
      /used twice/,
    ],
    [
      'a partition GUID that is not one',
      spec({ partitions: [{ name: 'root', type: 'linux-root', size: 'rest', guid: 'root' }] }),
      /not a GUID/,
    ],
  ])('refuses %s', (_, bad, message) => {
    expect(thrownPipelineError(() => planGpt(bad), 'image.disk-layout-invalid').message).toMatch(message);
  });

  it('fits a partition that ends exactly at the last whole MiB and refuses one MiB more', () => {
    const fits = spec({
      partitions: [{ name: 'root', type: 'linux-root', size: 62 * MIB, guid: ROOT_GUID }],
    });
    expect(planGpt(fits).partitions[0]!.lastLba).toBe(63 * 2048 - 1);
    thrownPipelineError(
      () => planGpt(spec({ diskSize: 63 * MIB, partitions: fits.partitions })),
      'image.disk-layout-invalid',
    );
  });
});

describe('buildGpt', () => {
  const gpt = buildGpt(spec());
  const [head, tail] = gpt.regions;
  const primary = head.bytes.subarray(512, 1024);
  const backup = tail.bytes.subarray(tail.bytes.length - 512);
  const entries = head.bytes.subarray(1024);

  it('writes a protective MBR: one 0xEE partition from LBA 1 over the rest of the disk, and the 55 AA signature', () => {
    const mbr = head.bytes.subarray(0, 512);
    expect(mbr[446 + 4]).toBe(0xee);
    expect(u32(mbr, 446 + 8)).toBe(1);
    expect(u32(mbr, 446 + 12)).toBe(131071);
    expect([mbr[510], mbr[511]]).toEqual([0x55, 0xaa]);
    expect(mbr.subarray(462, 510).every((b) => b === 0)).toBe(true); // the other three records are empty
  });

  it('places the primary at LBA 1–33 and the backup in the last 33 blocks, each header pointing at the other', () => {
    expect(head.offset).toBe(0);
    expect(head.bytes.length).toBe(34 * 512);
    expect(tail.offset + tail.bytes.length).toBe(64 * MIB);
    expect(Buffer.from(primary.subarray(0, 8)).toString('latin1')).toBe('EFI PART');
    expect([u64(primary, 24), u64(primary, 32), u64(primary, 72)]).toEqual([1, 131071, 2]);
    expect([u64(backup, 24), u64(backup, 32), u64(backup, 72)]).toEqual([131071, 1, 131071 - 32]);
    expect(Buffer.from(tail.bytes.subarray(0, 128 * 128)).equals(Buffer.from(entries))).toBe(true);
    expect(guidFromBytes(primary.subarray(56, 72))).toBe(DISK_GUID);
  });

  it('checksums the entry array and each header (over 92 bytes, its own CRC field zeroed)', () => {
    for (const header of [primary, backup]) {
      expect(u32(header, 88)).toBe(crc32(entries));
      const zeroed = header.slice(0, 92);
      zeroed.fill(0, 16, 20);
      expect(u32(header, 16)).toBe(crc32(zeroed));
    }
    expect(u32(primary, 16)).not.toBe(u32(backup, 16)); // they differ in their own and the other's LBA
  });

  it('writes each entry: type and partition GUID mixed-endian, first and last LBA, the name in UTF-16LE', () => {
    const root = entries.subarray(128, 256);
    expect(guidFromBytes(root.subarray(0, 16))).toBe(LINUX_ROOT_TYPE_GUIDS.x86_64);
    expect(guidFromBytes(root.subarray(16, 32))).toBe(ROOT_GUID);
    expect([u64(root, 32), u64(root, 40)]).toEqual([9 * 2048, 63 * 2048 - 1]);
    expect(Buffer.from(root.subarray(56, 56 + 8)).toString('utf16le')).toBe('root');
    expect(root.subarray(64, 128).every((b) => b === 0)).toBe(true);
    expect(entries.subarray(256).every((b) => b === 0)).toBe(true); // the 126 unused entries
  });

  it('gives the same bytes for the same inputs', () => {
    const again = buildGpt(spec());
    expect(Buffer.from(again.regions[0].bytes).equals(Buffer.from(head.bytes))).toBe(true);
    expect(Buffer.from(again.regions[1].bytes).equals(Buffer.from(tail.bytes))).toBe(true);
  });
});
