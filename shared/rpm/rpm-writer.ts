import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * A writer of small but valid RPM files (lead, signature header with SHA256/SIZE/PAYLOADSIZE, main header
 * with regions, gzip cpio payload holding just the trailer), so the bench can make 20,000 packages in seconds
 * instead of hours of rpmbuild, tests can make the few they need, and the synthetic builder
 * (`infra/builders/synthetic/`) its packages. `rpm -qp` and createrepo_c read them
 * (tests/testing/rpm-generator.test.ts checks that). Pure: it returns the file's bytes.
 */
export interface GeneratedPackage {
  name: string;
  version: string;
  release: string;
  arch?: string;
  epoch?: number;
  summary?: string;
  files?: string[];
  requires?: { name: string; flags: number; version: string }[];
  changelog?: { time: number; author: string; text: string }[];
  buildTime?: number;
  /** Written as LONGSIZE (INT64) instead of SIZE when above 4 GiB − 1. */
  installedSize?: number;
  /** Written as the signature's LONGARCHIVESIZE (INT64) when above 4 GiB − 1, else PAYLOADSIZE. */
  archiveSize?: number;
  /**
   * A source package: lead type 1, SOURCEPACKAGE set, no SOURCERPM and no provides; `arch` is the build
   * machine's, `files` default to the spec (`<name>.spec`, no folder, as in an SRPM).
   */
  source?: boolean;
}

type Value =
  | { t: 'string' | 'i18n'; v: string }
  | { t: 'strings'; v: string[] }
  | { t: 'int16' | 'int32'; v: number[] }
  | { t: 'int64'; v: bigint[] }
  | { t: 'bin'; v: Uint8Array };

const TYPE = { int16: 3, int32: 4, int64: 5, string: 6, bin: 7, strings: 8, i18n: 9 } as const;
const ALIGN = { int16: 2, int32: 4, int64: 8 } as const;
const GIB4 = 0xffff_ffff;

export function generateRpm(pkg: GeneratedPackage): Buffer {
  const arch = pkg.arch ?? 'x86_64';
  const files = pkg.files ?? [pkg.source ? `${pkg.name}.spec` : `/usr/bin/${pkg.name}`];
  const dirs = [...new Set(files.map((f) => f.slice(0, f.lastIndexOf('/') + 1)))];
  const installed = pkg.installedSize ?? 1234;
  const main = new Map<number, Value>([
    [100, { t: 'strings', v: ['C'] }],
    [1000, { t: 'string', v: pkg.name }],
    [1001, { t: 'string', v: pkg.version }],
    [1002, { t: 'string', v: pkg.release }],
    [1004, { t: 'i18n', v: pkg.summary ?? `The ${pkg.name} package` }],
    [1005, { t: 'i18n', v: `${pkg.name} is a generated package for benchmarks.` }],
    [1006, { t: 'int32', v: [pkg.buildTime ?? 1_700_000_000] }],
    [1007, { t: 'string', v: 'bench.example.invalid' }],
    [1014, { t: 'string', v: 'MIT' }],
    [1016, { t: 'i18n', v: 'Unspecified' }],
    [1021, { t: 'string', v: 'linux' }],
    [1022, { t: 'string', v: arch }],
    [1028, { t: 'int32', v: files.map(() => 10) }],
    [1030, { t: 'int16', v: files.map(() => 0o100755) }],
    [1033, { t: 'int16', v: files.map(() => 0) }],
    [1034, { t: 'int32', v: files.map(() => 1_700_000_000) }],
    [1035, { t: 'strings', v: files.map(() => '') }],
    [1036, { t: 'strings', v: files.map(() => '') }],
    [1039, { t: 'strings', v: files.map(() => 'root') }],
    [1040, { t: 'strings', v: files.map(() => 'root') }],
    [1045, { t: 'int32', v: files.map(() => 0xffffffff) }],
    [1095, { t: 'int32', v: files.map(() => 1) }],
    [1096, { t: 'int32', v: files.map((_, i) => i + 1) }],
    [1097, { t: 'strings', v: files.map(() => '') }],
    [1037, { t: 'int32', v: files.map(() => 0) }],
    [1044, { t: 'string', v: `${pkg.name}-${pkg.version}-${pkg.release}.src.rpm` }],
    [1047, { t: 'strings', v: [pkg.name, `${pkg.name}(${arch === 'x86_64' ? 'x86-64' : arch})`] }],
    [1112, { t: 'int32', v: [8, 8] }],
    [1113, { t: 'strings', v: Array(2).fill(evr(pkg)) as string[] }],
    [1116, { t: 'int32', v: files.map((f) => dirs.indexOf(f.slice(0, f.lastIndexOf('/') + 1))) }],
    [1117, { t: 'strings', v: files.map((f) => f.slice(f.lastIndexOf('/') + 1)) }],
    [1118, { t: 'strings', v: dirs }],
    [1124, { t: 'string', v: 'cpio' }],
    [1125, { t: 'string', v: 'gzip' }],
    [1126, { t: 'string', v: '9' }],
  ]);
  if (pkg.epoch !== undefined) main.set(1003, { t: 'int32', v: [pkg.epoch] });
  if (pkg.source) {
    for (const tag of [1044, 1047, 1112, 1113]) main.delete(tag);
    main.set(1106, { t: 'int32', v: [1] });
  }
  if (installed > GIB4) main.set(5009, { t: 'int64', v: [BigInt(installed)] });
  else main.set(1009, { t: 'int32', v: [installed] });
  const requires = [
    ...(pkg.requires ?? []),
    { name: 'rpmlib(CompressedFileNames)', flags: 0x100000a, version: '3.0.4-1' },
  ];
  main.set(1048, { t: 'int32', v: requires.map((r) => r.flags) });
  main.set(1049, { t: 'strings', v: requires.map((r) => r.name) });
  main.set(1050, { t: 'strings', v: requires.map((r) => r.version) });
  if (pkg.changelog?.length) {
    main.set(1080, { t: 'int32', v: pkg.changelog.map((c) => c.time) });
    main.set(1081, { t: 'strings', v: pkg.changelog.map((c) => c.author) });
    main.set(1082, { t: 'strings', v: pkg.changelog.map((c) => c.text) });
  }
  const payload = gzipSync(cpioTrailer(), { level: 1 });
  // PAYLOADDIGEST (SHA-256 of the compressed payload) and its algorithm, so `rpm -K` finds every digest OK.
  main.set(5092, { t: 'strings', v: [createHash('sha256').update(payload).digest('hex')] });
  main.set(5093, { t: 'int32', v: [8] });
  const header = encodeHeader(main, 63);
  const archive = pkg.archiveSize ?? 124;
  const signature = new Map<number, Value>([
    [273, { t: 'string', v: createHash('sha256').update(header).digest('hex') }],
    [1000, { t: 'int32', v: [header.length + payload.length] }],
  ]);
  if (archive > GIB4) signature.set(271, { t: 'int64', v: [BigInt(archive)] });
  else signature.set(1007, { t: 'int32', v: [archive] });
  const sig = encodeHeader(signature, 62);
  const padding = Buffer.alloc((8 - (sig.length % 8)) % 8);
  return Buffer.concat([lead(pkg, arch), sig, padding, header, payload]);
}

const evr = (pkg: GeneratedPackage) =>
  `${pkg.epoch !== undefined ? `${pkg.epoch}:` : ''}${pkg.version}-${pkg.release}`;

function lead(pkg: GeneratedPackage, arch: string): Buffer {
  const out = Buffer.alloc(96);
  out.set([0xed, 0xab, 0xee, 0xdb, 3, 0], 0);
  out.writeUInt16BE(pkg.source ? 1 : 0, 6);
  out.writeUInt16BE(arch === 'noarch' ? 255 : 1, 8);
  out.write(`${pkg.name}-${pkg.version}-${pkg.release}`.slice(0, 65), 10, 'latin1');
  out.writeUInt16BE(1, 76);
  out.writeUInt16BE(5, 78);
  return out;
}

/** Intro, index (region entry first), data store with the region trailer last. */
function encodeHeader(values: Map<number, Value>, regionTag: number): Buffer {
  const tags = [...values.keys()].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let length = 0;
  const index: [number, number, number, number][] = [];
  for (const tag of tags) {
    const value = values.get(tag) as Value;
    const align = value.t in ALIGN ? ALIGN[value.t as keyof typeof ALIGN] : 1;
    const pad = (align - (length % align)) % align;
    if (pad) chunks.push(Buffer.alloc(pad));
    length += pad;
    const data = encodeValue(value);
    const count =
      value.t === 'string' || value.t === 'i18n' ? 1 : value.t === 'bin' ? value.v.length : value.v.length;
    index.push([tag, TYPE[value.t], length, count]);
    chunks.push(data);
    length += data.length;
  }
  const entries = index.length + 1;
  const trailer = Buffer.alloc(16);
  trailer.writeUInt32BE(regionTag, 0);
  trailer.writeUInt32BE(TYPE.bin, 4);
  trailer.writeInt32BE(-entries * 16, 8);
  trailer.writeUInt32BE(16, 12);
  index.unshift([regionTag, TYPE.bin, length, 16]);
  chunks.push(trailer);
  length += 16;
  const head = Buffer.alloc(16 + entries * 16);
  head.writeUInt32BE(0x8eade801, 0);
  head.writeUInt32BE(entries, 8);
  head.writeUInt32BE(length, 12);
  index.forEach(([tag, type, offset, count], i) => {
    head.writeUInt32BE(tag, 16 + i * 16);
    head.writeUInt32BE(type, 20 + i * 16);
    head.writeInt32BE(offset, 24 + i * 16);
    head.writeUInt32BE(count, 28 + i * 16);
  });
  return Buffer.concat([head, ...chunks]);
}

function encodeValue(value: Value): Buffer {
  switch (value.t) {
    case 'string':
    case 'i18n':
      return Buffer.from(`${value.v}\0`, 'utf8');
    case 'strings':
      return Buffer.from(value.v.map((s) => `${s}\0`).join(''), 'utf8');
    case 'int16': {
      const out = Buffer.alloc(value.v.length * 2);
      value.v.forEach((n, i) => out.writeUInt16BE(n, i * 2));
      return out;
    }
    case 'int32': {
      const out = Buffer.alloc(value.v.length * 4);
      value.v.forEach((n, i) => out.writeUInt32BE(n >>> 0, i * 4));
      return out;
    }
    case 'int64': {
      const out = Buffer.alloc(value.v.length * 8);
      value.v.forEach((n, i) => out.writeBigUInt64BE(n, i * 8));
      return out;
    }
    case 'bin':
      return Buffer.from(value.v);
  }
}

/** A newc cpio archive with only the `TRAILER!!!` entry. */
function cpioTrailer(): Buffer {
  const fields = [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 11, 0]
    .map((n) => n.toString(16).padStart(8, '0'))
    .join('');
  const head = Buffer.from(`070701${fields}TRAILER!!!\0`, 'latin1');
  return Buffer.concat([head, Buffer.alloc((4 - (head.length % 4)) % 4)]);
}
