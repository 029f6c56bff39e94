import { crc32 } from 'node:zlib';
import { PipelineError } from '../../errors';
import { guidToBytes, isGuid } from './guid';
import { partitionTypeGuid } from './partition-types';
import type { GptArchitecture, GptPartitionType } from './partition-types';

/**
 * A GUID Partition Table (UEFI specification 2.10, chapter 5 "GUID Partition Table (GPT) Disk Layout"), for
 * 512-byte logical blocks: the protective MBR in LBA 0, the primary header in LBA 1 and its entry array
 * (128 entries of 128 bytes, 32 blocks) from LBA 2, the backup entry array and, in the disk's last block, the
 * backup header. Partitions start on 1 MiB boundaries and are whole MiB long, so the file systems inside
 * line up with the 4 KiB pages of the storage under them.
 *
 * CRC32 is zlib's (`node:zlib` `crc32`, Node ≥ 20.15): a pure function of its bytes, no I/O, as
 * `shared/repodata/segmented-gzip.ts` uses it too. GPT's CRC32 is the same CRC-32 (polynomial 0x04C11DB7,
 * reflected, initial and final XOR 0xFFFFFFFF) that zlib computes.
 */

export const SECTOR_SIZE = 512;
const MIB = 1024 * 1024;
const SECTORS_PER_MIB = MIB / SECTOR_SIZE;
const ENTRY_COUNT = 128;
const ENTRY_SIZE = 128;
const ENTRY_ARRAY_SECTORS = (ENTRY_COUNT * ENTRY_SIZE) / SECTOR_SIZE; // 32
const HEADER_SIZE = 92;
/** At most 36 UTF-16 code units: the entry's 72-byte name field. */
const NAME_UNITS = 36;

export interface GptPartitionSpec {
  /** The partition's label (GPT "partition name"), e.g. `ESP`, `root`; at most 36 UTF-16 code units. */
  readonly name: string;
  readonly type: GptPartitionType;
  /** Bytes, a whole MiB; `'rest'`: the last partition takes what is left, up to the last whole MiB. */
  readonly size: number | 'rest';
  /** The unique partition GUID. Passed in, so the same inputs give the same bytes. */
  readonly guid: string;
}

export interface GptDiskSpec {
  /** The whole disk in bytes, a whole MiB (Azure accepts only those). */
  readonly diskSize: number;
  readonly architecture: GptArchitecture;
  /** The disk GUID. Passed in, so the same inputs give the same bytes. */
  readonly diskGuid: string;
  readonly partitions: readonly GptPartitionSpec[];
}

export interface GptPartitionLayout {
  /** 1-based, the order of the spec: the `N` of `/dev/sdaN`. */
  readonly number: number;
  readonly name: string;
  readonly type: GptPartitionType;
  readonly typeGuid: string;
  readonly guid: string;
  readonly firstLba: number;
  /** Inclusive, as GPT stores it. */
  readonly lastLba: number;
  /** Where the partition starts in the disk, in bytes (`firstLba × 512`). */
  readonly offset: number;
  readonly size: number;
}

export interface GptLayout {
  readonly diskSize: number;
  readonly sectorCount: number;
  readonly diskGuid: string;
  readonly firstUsableLba: number;
  readonly lastUsableLba: number;
  readonly partitions: readonly GptPartitionLayout[];
}

/** Bytes to put at `offset` of the disk; the rest of the GPT's blocks are zero. */
export interface DiskRegion {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export interface GptDisk {
  readonly layout: GptLayout;
  /**
   * The protective MBR with the primary header and entry array (offset 0, 34 blocks), then the backup entry
   * array and header (the disk's last 33 blocks).
   */
  readonly regions: readonly [DiskRegion, DiskRegion];
}

const invalid = (message: string, context: Record<string, string | number> = {}) =>
  PipelineError.permanent('image.disk-layout-invalid', message, context);

/** Where each partition goes: validates the spec and places the partitions, 1 MiB aligned, in order. */
export function planGpt(spec: GptDiskSpec): GptLayout {
  const { diskSize, partitions } = spec;
  if (!Number.isSafeInteger(diskSize) || diskSize <= 0 || diskSize % MIB !== 0) {
    throw invalid(`disk size ${diskSize} is not a whole number of MiB`, { diskSize });
  }
  if (!isGuid(spec.diskGuid)) throw invalid(`disk GUID "${spec.diskGuid}" is not a GUID`);
  if (partitions.length === 0 || partitions.length > ENTRY_COUNT) {
    throw invalid(`a GPT holds 1 to ${ENTRY_COUNT} partitions, not ${partitions.length}`);
  }
  const sectorCount = diskSize / SECTOR_SIZE;
  const firstUsableLba = 2 + ENTRY_ARRAY_SECTORS;
  const lastUsableLba = sectorCount - 2 - ENTRY_ARRAY_SECTORS;
  const alignedEnd = Math.floor((lastUsableLba + 1) / SECTORS_PER_MIB) * SECTORS_PER_MIB;
  const guids = new Set<string>([spec.diskGuid.toUpperCase()]);
  let next = SECTORS_PER_MIB;
  const placed = partitions.map((partition, index): GptPartitionLayout => {
    const context = { partition: partition.name, number: index + 1 };
    checkName(partition.name, context);
    if (!isGuid(partition.guid)) throw invalid(`partition GUID "${partition.guid}" is not a GUID`, context);
    if (guids.has(partition.guid.toUpperCase())) {
      throw invalid(`GUID ${partition.guid} is used twice on the disk`, context);
    }
    guids.add(partition.guid.toUpperCase());
    let sectors: number;
    if (partition.size === 'rest') {
      if (index !== partitions.length - 1)
        throw invalid('only the last partition can take the rest', context);
      sectors = alignedEnd - next;
    } else {
      if (!Number.isSafeInteger(partition.size) || partition.size <= 0 || partition.size % MIB !== 0) {
        throw invalid(`partition size ${partition.size} is not a whole number of MiB`, context);
      }
      sectors = partition.size / SECTOR_SIZE;
    }
    const firstLba = next;
    const lastLba = firstLba + sectors - 1;
    if (sectors <= 0 || lastLba >= alignedEnd) {
      throw invalid(`partition ${partition.name} does not fit on a disk of ${diskSize} bytes`, {
        ...context,
        diskSize,
      });
    }
    next = lastLba + 1;
    return {
      number: index + 1,
      name: partition.name,
      type: partition.type,
      typeGuid: partitionTypeGuid(partition.type, spec.architecture),
      guid: partition.guid.toUpperCase(),
      firstLba,
      lastLba,
      offset: firstLba * SECTOR_SIZE,
      size: sectors * SECTOR_SIZE,
    };
  });
  return {
    diskSize,
    sectorCount,
    diskGuid: spec.diskGuid.toUpperCase(),
    firstUsableLba,
    lastUsableLba,
    partitions: placed,
  };
}

function checkName(name: string, context: Record<string, string | number>): void {
  if (name.length === 0 || name.length > NAME_UNITS) {
    throw invalid(`partition name "${name}" must be 1 to ${NAME_UNITS} UTF-16 code units`, context);
  }
  // A NUL would end the name early for every reader.
  if (name.includes('\u0000')) throw invalid('a partition name cannot hold NUL', context);
}

/** The GPT of `spec`: its layout and the bytes of the protective MBR, both headers and both entry arrays. */
export function buildGpt(spec: GptDiskSpec): GptDisk {
  const layout = planGpt(spec);
  const entries = entryArray(layout);
  const entriesCrc = crc32(entries);
  const lastLba = layout.sectorCount - 1;
  const backupEntriesLba = lastLba - ENTRY_ARRAY_SECTORS;

  const head = new Uint8Array((2 + ENTRY_ARRAY_SECTORS) * SECTOR_SIZE);
  head.set(protectiveMbr(layout.sectorCount), 0);
  head.set(header(layout, { myLba: 1, alternateLba: lastLba, entriesLba: 2, entriesCrc }), SECTOR_SIZE);
  head.set(entries, 2 * SECTOR_SIZE);

  const tail = new Uint8Array((ENTRY_ARRAY_SECTORS + 1) * SECTOR_SIZE);
  tail.set(entries, 0);
  tail.set(
    header(layout, { myLba: lastLba, alternateLba: 1, entriesLba: backupEntriesLba, entriesCrc }),
    ENTRY_ARRAY_SECTORS * SECTOR_SIZE,
  );
  return {
    layout,
    regions: [
      { offset: 0, bytes: head },
      { offset: backupEntriesLba * SECTOR_SIZE, bytes: tail },
    ],
  };
}

/**
 * LBA 0: one MBR partition of type 0xEE from LBA 1 over the whole disk (capped at 2^32 − 1 blocks), so
 * MBR-only tools see the disk as used (UEFI 2.10 §5.2.3).
 */
function protectiveMbr(sectorCount: number): Uint8Array {
  const mbr = new Uint8Array(SECTOR_SIZE);
  const view = new DataView(mbr.buffer);
  const record = 446;
  mbr[record] = 0x00; // not bootable
  mbr.set([0x00, 0x02, 0x00], record + 1); // starting CHS: 0x000200, as the specification says
  mbr[record + 4] = 0xee;
  mbr.set(mbrChs(sectorCount - 1), record + 5);
  view.setUint32(record + 8, 1, true);
  view.setUint32(record + 12, Math.min(sectorCount - 1, 0xffff_ffff), true);
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  return mbr;
}

/**
 * The MBR's 3-byte CHS address of `lba` in the customary 255-head, 63-sector translation, or FF FF FF when
 * the cylinder does not fit in 10 bits (the specification's "not possible to represent").
 */
function mbrChs(lba: number): [number, number, number] {
  const cylinder = Math.floor(lba / (255 * 63));
  if (cylinder > 1023) return [0xff, 0xff, 0xff];
  const head = Math.floor(lba / 63) % 255;
  const sector = (lba % 63) + 1;
  return [head, ((cylinder >> 8) << 6) | sector, cylinder & 0xff];
}

function header(
  layout: GptLayout,
  place: { myLba: number; alternateLba: number; entriesLba: number; entriesCrc: number },
): Uint8Array {
  const sector = new Uint8Array(SECTOR_SIZE);
  const view = new DataView(sector.buffer);
  sector.set(new TextEncoder().encode('EFI PART'), 0);
  view.setUint32(8, 0x0001_0000, true); // revision 1.0
  view.setUint32(12, HEADER_SIZE, true);
  // 16: header CRC32, computed below over the 92 bytes with this field zero; 20: reserved, zero.
  view.setBigUint64(24, BigInt(place.myLba), true);
  view.setBigUint64(32, BigInt(place.alternateLba), true);
  view.setBigUint64(40, BigInt(layout.firstUsableLba), true);
  view.setBigUint64(48, BigInt(layout.lastUsableLba), true);
  sector.set(guidToBytes(layout.diskGuid), 56);
  view.setBigUint64(72, BigInt(place.entriesLba), true);
  view.setUint32(80, ENTRY_COUNT, true);
  view.setUint32(84, ENTRY_SIZE, true);
  view.setUint32(88, place.entriesCrc, true);
  view.setUint32(16, crc32(sector.subarray(0, HEADER_SIZE)), true);
  return sector;
}

/** All 128 entries; the unused ones stay zero (type GUID zero = unused). */
function entryArray(layout: GptLayout): Uint8Array {
  const entries = new Uint8Array(ENTRY_COUNT * ENTRY_SIZE);
  const view = new DataView(entries.buffer);
  for (const partition of layout.partitions) {
    const at = (partition.number - 1) * ENTRY_SIZE;
    entries.set(guidToBytes(partition.typeGuid), at);
    entries.set(guidToBytes(partition.guid), at + 16);
    view.setBigUint64(at + 32, BigInt(partition.firstLba), true);
    view.setBigUint64(at + 40, BigInt(partition.lastLba), true);
    // at + 48: attributes, none.
    for (let i = 0; i < partition.name.length; i++) {
      view.setUint16(at + 56 + i * 2, partition.name.charCodeAt(i), true); // UTF-16LE
    }
  }
  return entries;
}
