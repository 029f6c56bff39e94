import { PipelineError } from '../../errors';
import { chsGeometry } from './chs-geometry';
import type { ChsGeometry } from './chs-geometry';

/**
 * The 512-byte footer of a VHD (Microsoft "Virtual Hard Disk Image Format Specification" 1.0, "Hard Disk
 * Footer Format"), all fields big-endian. A *fixed* VHD is the raw disk followed by this footer and nothing
 * else, which is the only VHD kind Azure boots from.
 */
export const VHD_FOOTER_SIZE = 512;
const MIB = 1024 * 1024;
const COOKIE = 'conectix';
/** Seconds from the Unix epoch to the VHD epoch, 2000-01-01 00:00:00 UTC. */
const VHD_EPOCH_SECONDS = Date.UTC(2000, 0, 1) / 1000;
/** Bit 1 is "reserved, must be set to 1"; bit 0 (temporary disk) stays clear. */
const FEATURES_RESERVED = 0x0000_0002;
const FORMAT_VERSION_1_0 = 0x0001_0000;
/** Fixed disks have no dynamic header: the spec's "0xFFFFFFFF", all 64 bits set as qemu and Hyper-V write. */
const NO_DATA_OFFSET = 0xffff_ffff_ffff_ffffn;
export const DISK_TYPE_FIXED = 2;

export interface VhdFooter {
  readonly features: number;
  readonly formatVersion: number;
  readonly dataOffset: bigint;
  /** Seconds since 2000-01-01 00:00:00 UTC. */
  readonly timestamp: number;
  /** Four bytes of ASCII, e.g. `win `, `qem2`, `tap\0`. */
  readonly creatorApplication: string;
  readonly creatorVersion: number;
  /** Four bytes of ASCII: `Wi2k` (Windows) or `Mac `. */
  readonly creatorHostOs: string;
  readonly originalSize: number;
  /** The disk's size in bytes: what Azure, Hyper-V and qemu take as the virtual size. */
  readonly currentSize: number;
  readonly geometry: ChsGeometry;
  /** 2 fixed, 3 dynamic, 4 differencing. */
  readonly diskType: number;
  /** The UUID, lower-case text, its 16 bytes in the order written. */
  readonly uniqueId: string;
  readonly savedState: number;
}

/** A parsed footer also carries the checksum it was read with (and that checked out). */
export interface ParsedVhdFooter extends VhdFooter {
  readonly checksum: number;
}

/**
 * Who wrote the disk. qemu up to 9.2 sizes a VHD by its CHS geometry unless the creator application is one
 * it knows to mean "use the current size" (`win `, `qem2`, `d2v `, `CTXS`, `tap\0`: qemu `block/vpc.c`,
 * `vpc_open`; qemu 10 inverted the rule, Vitaly Kuznetsov's "vpc: Read images exported from Azure
 * correctly"). The geometry by the specification's algorithm rounds down, so with any other creator qemu
 * would see a disk a little smaller than it is. We therefore write Hyper-V's `win ` on `Wi2k`: every reader
 * (Azure, Hyper-V, qemu old and new) takes the footer's current size, and Azure Linux's Image Customizer,
 * which refuses only qemu's `qemu` VHDs (sized by geometry), accepts it. The version is this writer's, 1.0.
 */
export const DEFAULT_VHD_CREATOR = {
  application: 'win ',
  version: 0x0001_0000,
  hostOs: 'Wi2k',
} as const;

export interface FixedVhdFooterOptions {
  /** The raw disk's size in bytes: a whole MiB (see `roundUpToMiB`), as Azure requires. */
  readonly size: number;
  readonly createdAt: Date;
  /** A UUID, passed in so the same inputs give the same bytes. */
  readonly uniqueId: string;
  readonly creator?: { readonly application: string; readonly version: number; readonly hostOs: string };
}

const invalid = (message: string, context: Record<string, string | number> = {}) =>
  PipelineError.permanent('image.vhd-footer-invalid', message, context);

/** `size` rounded up to a whole MiB: Azure refuses a VHD whose virtual size is not one. */
export function roundUpToMiB(size: number): number {
  return Math.ceil(size / MIB) * MIB;
}

/** The footer that turns a raw disk of `size` bytes into a fixed VHD when appended to it. */
export function fixedVhdFooter(options: FixedVhdFooterOptions): Uint8Array {
  const { size, createdAt } = options;
  if (!Number.isSafeInteger(size) || size <= 0 || size % MIB !== 0) {
    throw invalid(`a fixed VHD for Azure must be a whole number of MiB, not ${size} bytes`, { size });
  }
  const creator = options.creator ?? DEFAULT_VHD_CREATOR;
  return encodeVhdFooter({
    features: FEATURES_RESERVED,
    formatVersion: FORMAT_VERSION_1_0,
    dataOffset: NO_DATA_OFFSET,
    timestamp: vhdTimestamp(createdAt),
    creatorApplication: creator.application,
    creatorVersion: creator.version,
    creatorHostOs: creator.hostOs,
    originalSize: size,
    currentSize: size,
    geometry: chsGeometry(size),
    diskType: DISK_TYPE_FIXED,
    uniqueId: options.uniqueId,
    savedState: 0,
  });
}

/** Seconds since 2000-01-01 00:00:00 UTC, the footer's time stamp. */
export function vhdTimestamp(date: Date): number {
  const seconds = Math.floor(date.getTime() / 1000) - VHD_EPOCH_SECONDS;
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > 0xffff_ffff) {
    throw invalid(`${date.toISOString()} cannot be a VHD time stamp (2000 to 2136)`);
  }
  return seconds;
}

/** The footer's bytes, with the checksum computed over them. */
export function encodeVhdFooter(footer: VhdFooter): Uint8Array {
  const bytes = new Uint8Array(VHD_FOOTER_SIZE);
  const view = new DataView(bytes.buffer);
  bytes.set(ascii(COOKIE, 8, 'cookie'), 0);
  view.setUint32(8, footer.features);
  view.setUint32(12, footer.formatVersion);
  view.setBigUint64(16, footer.dataOffset);
  view.setUint32(24, footer.timestamp);
  bytes.set(ascii(footer.creatorApplication, 4, 'creator application'), 28);
  view.setUint32(32, footer.creatorVersion);
  bytes.set(ascii(footer.creatorHostOs, 4, 'creator host OS'), 36);
  view.setBigUint64(40, BigInt(footer.originalSize));
  view.setBigUint64(48, BigInt(footer.currentSize));
  view.setUint16(56, footer.geometry.cylinders);
  view.setUint8(58, footer.geometry.heads);
  view.setUint8(59, footer.geometry.sectorsPerTrack);
  view.setUint32(60, footer.diskType);
  bytes.set(uuidBytes(footer.uniqueId), 68);
  view.setUint8(84, footer.savedState);
  view.setUint32(64, vhdChecksum(bytes));
  return bytes;
}

/**
 * The footer in `bytes` (exactly 512). Refuses a wrong cookie or checksum, so a file that merely ends in
 * something is not taken for a VHD (the uploader's resume check relies on that).
 */
export function parseVhdFooter(bytes: Uint8Array): ParsedVhdFooter {
  if (bytes.length !== VHD_FOOTER_SIZE) {
    throw invalid(`a VHD footer is ${VHD_FOOTER_SIZE} bytes, not ${bytes.length}`, { length: bytes.length });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (from: number, length: number) => String.fromCharCode(...bytes.subarray(from, from + length));
  const cookie = text(0, 8);
  if (cookie !== COOKIE) throw invalid(`the cookie is ${JSON.stringify(cookie)}, not "${COOKIE}"`);
  const checksum = view.getUint32(64);
  const expected = vhdChecksum(bytes);
  if (checksum !== expected) {
    throw invalid(`the checksum is ${hex(checksum)}, the bytes sum to ${hex(expected)}`, {
      checksum: hex(checksum),
      expected: hex(expected),
    });
  }
  const size = (at: number, field: string) => {
    const value = view.getBigUint64(at);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(`the ${field} ${value} is out of range`);
    return Number(value);
  };
  return {
    features: view.getUint32(8),
    formatVersion: view.getUint32(12),
    dataOffset: view.getBigUint64(16),
    timestamp: view.getUint32(24),
    creatorApplication: text(28, 4),
    creatorVersion: view.getUint32(32),
    creatorHostOs: text(36, 4),
    originalSize: size(40, 'original size'),
    currentSize: size(48, 'current size'),
    geometry: { cylinders: view.getUint16(56), heads: view.getUint8(58), sectorsPerTrack: view.getUint8(59) },
    diskType: view.getUint32(60),
    checksum,
    uniqueId: uuidText(bytes.subarray(68, 84)),
    savedState: view.getUint8(84),
  };
}

/** The specification's checksum: the one's complement of the sum of all bytes, the checksum field skipped. */
export function vhdChecksum(footer: Uint8Array): number {
  let sum = 0;
  footer.forEach((byte, index) => {
    if (index < 64 || index >= 68) sum += byte;
  });
  return ~sum >>> 0;
}

function ascii(value: string, length: number, field: string): Uint8Array {
  if (value.length !== length || [...value].some((char) => char.charCodeAt(0) > 0x7f)) {
    throw invalid(`the ${field} must be ${length} ASCII characters, not ${JSON.stringify(value)}`);
  }
  return Uint8Array.from(value, (char) => char.charCodeAt(0));
}

function uuidBytes(uuid: string): Uint8Array {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(uuid)) {
    throw invalid(`the unique id "${uuid}" is not a UUID`);
  }
  const hexDigits = uuid.replaceAll('-', '');
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hexDigits.slice(i * 2, i * 2 + 2), 16));
}

function uuidText(bytes: Uint8Array): string {
  const hexDigits = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const groups = [hexDigits.slice(0, 8), hexDigits.slice(8, 12), hexDigits.slice(12, 16)];
  return [...groups, hexDigits.slice(16, 20), hexDigits.slice(20)].join('-');
}

const hex = (value: number) => `0x${value.toString(16).padStart(8, '0')}`;
